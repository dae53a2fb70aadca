"""Clients that compress, crawl or go away (bot.gateway.connections): 415 for compressed bodies, 408 for slow bodies,
slow or idle connections closed, and a client that disconnects is no error."""
from __future__ import annotations

import asyncio
import gzip
import logging
import time
import tracemalloc
import zlib
from dataclasses import replace

import pytest
from aiohttp.test_utils import unused_port

from bot.gateway.app import create_app
from bot.gateway.serve import running

TIMEOUT = 0.5  # request_read_timeout_seconds and keepalive_timeout_seconds in these tests


@pytest.fixture
def quick_settings(test_settings):
    return replace(test_settings, request_read_timeout_seconds=TIMEOUT, keepalive_timeout_seconds=TIMEOUT)


@pytest.fixture
async def server(aiohttp_server, quick_settings):
    return await aiohttp_server(create_app(quick_settings))


async def connect(port: int):
    return await asyncio.open_connection("127.0.0.1", port)


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """Everything the server sends until it closes the connection; fails if it is still open after `seconds`."""
    return await asyncio.wait_for(reader.read(), timeout=seconds)


def chat_body(sender: str) -> bytes:
    return ('{"sender": "%s", "message": "xin chào"}' % sender).encode()


# ---------------------------------------------------------------- compressed bodies


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "GZIP", "gzip, identity"])
async def test_a_compressed_body_is_refused_with_415(client, fake_rasa, sender, encoding):
    body = gzip.compress(chat_body(sender))
    response = await client.post(
        "/api/chat", data=body, headers={"Content-Type": "application/json", "Content-Encoding": encoding}
    )
    assert response.status == 415
    document = await response.json()
    assert document["code"] == "encoded_body"
    assert "Content-Encoding" in document["error"]
    assert fake_rasa.received == []


async def test_a_corrupt_gzip_body_costs_a_415_not_a_500(client, fake_rasa):
    response = await client.post(
        "/api/feedback", data=b"\x1f\x8b\x08\x00garbage", headers={"Content-Type": "application/json",
                                                                    "Content-Encoding": "gzip"}
    )
    assert response.status == 415


async def test_a_gzip_bomb_is_never_inflated(client, fake_rasa):
    bomb = zlib.compress(bytes(64 * 1024 * 1024), 9)  # 64 MB of zeros in 64 KB
    tracemalloc.start()
    try:
        responses = await asyncio.gather(*(
            client.post("/api/chat", data=bomb, headers={"Content-Type": "application/json",
                                                          "Content-Encoding": "deflate"})
            for _ in range(4)
        ))  # fmt: skip
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [response.status for response in responses] == [415] * 4
    assert peak < 16 * 1024 * 1024  # inflating even one would take 64 MB


async def test_identity_is_no_encoding(client, fake_rasa, sender):
    response = await client.post(
        "/api/chat", data=chat_body(sender), headers={"Content-Type": "application/json",
                                                       "Content-Encoding": "identity"}
    )
    assert response.status == 200


async def test_pages_refuse_compressed_bodies_too(client):
    response = await client.post("/checklist/1.001193", data=b"x", headers={"Content-Encoding": "gzip"})
    assert response.status == 415


# ---------------------------------------------------------------- slow bodies, slow headers, idle connections


async def test_a_body_that_does_not_arrive_in_time_gets_408_and_the_connection_closes(server, fake_rasa, sender):
    reader, writer = await connect(server.port)
    body = chat_body(sender)
    writer.write(
        b"POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body) + body[:10]
    )
    started = time.monotonic()
    answer = await closed_within(reader, 5)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"code": "read_timeout"' in answer
    assert TIMEOUT <= time.monotonic() - started < 3
    assert fake_rasa.received == []


async def test_a_body_that_arrives_in_time_is_answered(server, fake_rasa, sender):
    reader, writer = await connect(server.port)
    body = chat_body(sender)
    writer.write(
        b"POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body) + body[:10]
    )
    await asyncio.sleep(TIMEOUT / 3)
    writer.write(body[10:])
    answer = await closed_within(reader, 5)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 200 ")


async def test_an_idle_keep_alive_connection_is_closed(server):
    reader, writer = await connect(server.port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
    status_line = await reader.readline()
    assert status_line.startswith(b"HTTP/1.1 200 ")
    started = time.monotonic()
    await closed_within(reader, TIMEOUT + 3)  # aiohttp checks once a second
    writer.close()
    assert time.monotonic() - started >= TIMEOUT


@pytest.fixture
async def gateway(quick_settings):
    """The gateway as `python -m bot.gateway.serve` runs it (with the slow-headers watchdog), on a free port."""
    settings = replace(quick_settings, gateway_host="127.0.0.1", gateway_port=unused_port())
    async with running(settings):
        yield settings


@pytest.mark.parametrize("sent", [b"", b"GET /healthz HTTP/1.1\r\nHost: loc"])
async def test_a_connection_without_a_complete_request_is_closed(gateway, sent):
    reader, writer = await connect(gateway.gateway_port)
    writer.write(sent)
    started = time.monotonic()
    assert await closed_within(reader, TIMEOUT + 3) == b""
    writer.close()
    assert time.monotonic() - started >= TIMEOUT


async def test_headers_sent_byte_by_byte_are_cut(gateway):
    reader, writer = await connect(gateway.gateway_port)
    request = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
    started = time.monotonic()
    with pytest.raises((ConnectionError, BrokenPipeError)):
        for byte in request:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.05)
            if reader.at_eof() or time.monotonic() - started > TIMEOUT + 5:
                raise ConnectionResetError("closed by the server")
    writer.close()
    assert time.monotonic() - started < TIMEOUT + 3


async def test_a_served_connection_is_kept_until_its_keep_alive_ends(test_settings):
    settings = replace(test_settings, gateway_host="127.0.0.1", gateway_port=unused_port(),
                       request_read_timeout_seconds=TIMEOUT, keepalive_timeout_seconds=30)
    async with running(settings):
        reader, writer = await connect(settings.gateway_port)
        for _ in range(2):
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert (await reader.readline()).startswith(b"HTTP/1.1 200 ")
            await reader.readuntil(b"\r\n\r\n")
            await asyncio.sleep(TIMEOUT + 1.5)  # longer than the headers' timeout: the watchdog leaves it alone
            assert not reader.at_eof()
            await reader.read(4096)  # the JSON body
        writer.close()


# ---------------------------------------------------------------- clients that go away


def _no_errors(caplog) -> None:
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == [], [record.getMessage() for record in errors]
    access = [record.getMessage() for record in caplog.records if record.name == "aiohttp.access"]
    assert not any('" 500 ' in line for line in access), access


async def test_a_client_that_leaves_while_sending_its_body_is_no_error(server, fake_rasa, sender, caplog):
    caplog.set_level(logging.DEBUG)
    reader, writer = await connect(server.port)
    body = chat_body(sender)
    writer.write(
        b"POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body) + body[:10]
    )
    await asyncio.sleep(0.1)
    writer.transport.abort()  # RST
    await asyncio.sleep(0.3)
    _no_errors(caplog)
    assert any("the client disconnected" in record.getMessage() for record in caplog.records
               if record.name == "bot.gateway.connections" and record.levelno == logging.INFO)
    assert fake_rasa.received == []


async def test_a_client_that_leaves_while_rasa_answers_is_no_error(server, fake_rasa, sender, caplog):
    caplog.set_level(logging.DEBUG)
    fake_rasa.delay = 0.3
    reader, writer = await connect(server.port)
    body = chat_body(sender)
    writer.write(
        b"POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body) + body
    )
    await asyncio.sleep(0.1)
    writer.transport.abort()
    await asyncio.sleep(0.6)
    _no_errors(caplog)
    assert len(fake_rasa.received) == 1  # the message still reached Rasa (and is stored there)
