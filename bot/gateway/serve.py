"""`python -m bot.gateway.serve`: run the gateway with the settings from the environment.

Run with aiohttp's AppRunner rather than `web.run_app`, so that `cut_slow_clients` can watch the server's
connections (bot.gateway.connections); SIGTERM and SIGINT stop it gracefully.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import AsyncIterator

from aiohttp import web

from bot.gateway.app import create_app
from bot.gateway.connections import cut_slow_clients
from bot.gateway.keys import MESSAGES, SERVED_CONNECTIONS
from knowledge.redact import install_log_redaction
from knowledge.settings import Settings

log = logging.getLogger("bot")


def public_url(settings: Settings) -> str:
    host = "localhost" if settings.gateway_host in ("0.0.0.0", "::", "") else settings.gateway_host
    return f"http://{host}:{settings.gateway_port}"


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[web.AppRunner]:
    """The gateway listening on its host and port, slow clients cut, until the block ends."""
    app = create_app(settings)
    runner = web.AppRunner(app)
    await runner.setup()
    guard = None
    try:
        await web.TCPSite(runner, settings.gateway_host, settings.gateway_port).start()
        assert runner.server is not None
        guard = asyncio.create_task(
            cut_slow_clients(runner.server, app[SERVED_CONNECTIONS], settings.request_read_timeout_seconds)
        )
        log.info("%s: %s", app[MESSAGES].app_title, public_url(settings))
        yield runner
    finally:
        if guard is not None:
            guard.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await guard
        await runner.cleanup()


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with running(settings):
        await stop.wait()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_redaction()  # whatever a log line quotes, no personal data reaches var/log/
    asyncio.run(serve(Settings.from_env()))


if __name__ == "__main__":
    main()
