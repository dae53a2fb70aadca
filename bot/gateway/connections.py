"""Clients that compress, crawl or go away: what the gateway's server refuses, times out and ignores.

- A request body with `Content-Encoding` (gzip, deflate, br …) is refused with 415 before a byte of it is read, and
  the server never decompresses bodies (`auto_decompress=False`): a corrupt gzip or a gzip bomb costs nothing.
- Slow clients, with what aiohttp 3.9's server offers and what it does not:
  - an idle keep-alive connection is closed after KEEPALIVE_TIMEOUT_SECONDS (aiohttp's `keepalive_timeout`); this
    also covers a client that sends the headers of its second or later request slowly, since aiohttp counts the
    time until a complete request arrives as idle;
  - the headers of a connection's *first* request: aiohttp has no timeout for them, so `cut_slow_clients` (run by
    `bot.gateway.serve`) closes connections that have not sent a complete request within
    REQUEST_READ_TIMEOUT_SECONDS (checked every second);
  - a request body that has not fully arrived within REQUEST_READ_TIMEOUT_SECONDS of its headers gets 408 and the
    connection is closed (`client_guard`);
  - header sizes are bounded by aiohttp's limits (request line and each header 8190 bytes, 32768 bytes of
    headers in all, 400 beyond) and the body by MAX_REQUEST_BYTES (413);
  - not covered: a client that reads the answer slowly keeps its connection until the answer is written (they
    are small: pages and JSON of a few kilobytes), and the number of connections one address may open (that is
    the job of the proxy in front, see README).
- A client that disconnects before its answer is not an error: no traceback, no 500 in the access log; it is
  logged at INFO. The view it interrupted is not cancelled (a chat message still reaches Rasa and is stored, and
  the widget's retry gets the same replies, bot.gateway.dedup).
"""
from __future__ import annotations

import asyncio
import logging
import time
import weakref

from aiohttp import web
from aiohttp.web_server import Server

from bot.gateway.errors import error_response
from bot.gateway.keys import SERVED_CONNECTIONS, SETTINGS
from knowledge.settings import Settings

log = logging.getLogger(__name__)

# After an early answer (413, 415, 408) aiohttp reads and drops the rest of the body for at most this long.
LINGERING_SECONDS = 2.0
# How often `cut_slow_clients` looks at the open connections.
SWEEP_SECONDS = 1.0


class BodyReadTimeout(asyncio.TimeoutError):
    """The body did not arrive in time. A TimeoutError, so that aiohttp's drain of the body after the answer stops
    quietly too."""


def handler_args(settings: Settings) -> dict:
    """Options for the server's connection handler (`web.Application(handler_args=...)`)."""
    return {
        "keepalive_timeout": settings.keepalive_timeout_seconds,
        "auto_decompress": False,
        "lingering_time": LINGERING_SECONDS,
    }


def _body_timed_out(payload) -> None:
    if not payload.is_eof():
        payload.set_exception(BodyReadTimeout())


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


@web.middleware
async def client_guard(request: web.Request, handler) -> web.StreamResponse:
    # A complete request arrived on this connection: from now on aiohttp's keep-alive timeout watches it.
    if request.transport is not None:
        request.config_dict[SERVED_CONNECTIONS].add(request.transport)
    if request.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        response = error_response(request, 415, "encoded_body")
        response.force_close()
        return response
    timer = None
    if request.body_exists and not request.content.is_eof():
        timeout = request.config_dict[SETTINGS].request_read_timeout_seconds
        timer = asyncio.get_running_loop().call_later(timeout, _body_timed_out, request.content)
    try:
        return await handler(request)
    except BodyReadTimeout:
        log.info("%s %s: the body did not arrive in time (408)", request.method, request.path)
        response = error_response(request, 408, "read_timeout")
        response.force_close()
        return response
    except (ConnectionResetError, BrokenPipeError) as error:
        if not _client_gone(request):
            raise
        log.info("%s %s: the client disconnected (%s)", request.method, request.path, error or type(error).__name__)
        # aiohttp drops a request cancelled by its client quietly: no traceback, no access-log line.
        raise asyncio.CancelledError() from None
    except asyncio.CancelledError:
        if _client_gone(request):
            log.info("%s %s: the client disconnected", request.method, request.path)
        else:
            log.debug("%s %s: cancelled (the server is stopping)", request.method, request.path)
        raise
    finally:
        if timer is not None:
            timer.cancel()


async def cut_slow_clients(server: Server, served: weakref.WeakSet, timeout: float) -> None:
    """Close connections that have not sent one complete request within `timeout` seconds of being seen (slow
    or missing headers; aiohttp itself never times those out). Runs until cancelled."""
    first_seen: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    while True:
        now = time.monotonic()
        closed = 0
        for connection in server.connections:
            transport = connection.transport
            if transport is None or transport in served:
                continue
            if now - first_seen.setdefault(transport, now) >= timeout:
                connection.force_close()
                closed += 1
        if closed:
            log.info("closed %d connection(s) that sent no complete request within %s s", closed, timeout)
        await asyncio.sleep(SWEEP_SECONDS)
