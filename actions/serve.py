"""`python -m actions.serve`: the action server on 127.0.0.1 (rasa_sdk's own CLI always binds 0.0.0.0).

The port comes from `Settings.action_server_port` (ACTION_SERVER_PORT, default 5055). Every call but GET /health
must carry the token ACTION_SERVER_TOKEN as `?token=` (Rasa sends it: `token:` of the action endpoint in
endpoints.yml); `python -m bot.stack` generates it at start. Without a token set the server does not start.
Log records are redacted (knowledge.redact) like the gateway's.
"""
from __future__ import annotations

import logging
import secrets
import sys

from knowledge.redact import install_log_redaction
from knowledge.settings import Settings

HOST = "127.0.0.1"
# The one route open without the token: the gateway's /healthz probes it.
OPEN_ROUTES = {("GET", "/health")}


def token_guard(token: str):
    """A Sanic request middleware: 401 for any call but OPEN_ROUTES without `?token=<token>`."""

    async def guard(request):
        from sanic import response

        if (request.method, request.path) in OPEN_ROUTES:
            return None
        provided = request.args.get("token") or ""
        if token and secrets.compare_digest(provided.encode(), token.encode()):
            return None
        return response.json({"error": "a valid token is required"}, status=401)

    return guard


def create_app(token: str = ""):
    """The rasa_sdk app with our actions; with no `token` every call but /health is refused."""
    from rasa_sdk.endpoint import create_app as create_sdk_app

    app = create_sdk_app("actions", cors_origins=None)  # no browser calls it: no CORS
    app.register_middleware(token_guard(token), "request")
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_redaction()
    settings = Settings.from_env()
    if not settings.action_server_token:
        sys.exit("ACTION_SERVER_TOKEN is not set: start the stack with `make run` (python -m bot.stack), "
                 "which generates it and passes it to Rasa and the action server.")
    app = create_app(settings.action_server_token)
    logging.getLogger(__name__).info("action server on http://%s:%s", HOST, settings.action_server_port)
    app.run(host=HOST, port=settings.action_server_port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
