"""`python -m bot.gateway.serve`: run the gateway with the settings from the environment."""
from __future__ import annotations

import logging

from aiohttp import web

from bot.gateway.app import create_app
from bot.gateway.keys import MESSAGES
from knowledge.redact import install_log_redaction
from knowledge.settings import Settings

log = logging.getLogger("bot")


def public_url(settings: Settings) -> str:
    host = "localhost" if settings.gateway_host in ("0.0.0.0", "::", "") else settings.gateway_host
    return f"http://{host}:{settings.gateway_port}"


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_redaction()  # whatever a log line quotes, no personal data reaches var/log/
    settings = Settings.from_env()
    app = create_app(settings)
    log.info("%s: %s", app[MESSAGES].app_title, public_url(settings))
    web.run_app(app, host=settings.gateway_host, port=settings.gateway_port, print=None)


if __name__ == "__main__":
    main()
