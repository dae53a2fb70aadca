"""`python -m actions.serve`: the action server on 127.0.0.1 (rasa_sdk's own CLI always binds 0.0.0.0).

The port comes from `Settings.action_server_port` (ACTION_SERVER_PORT, default 5055). rasa_sdk's app
already answers GET /health.
"""
from __future__ import annotations

import logging

from knowledge.settings import Settings

HOST = "127.0.0.1"


def create_app():
    from rasa_sdk.endpoint import create_app as create_sdk_app

    return create_sdk_app("actions")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    app = create_app()
    logging.getLogger(__name__).info("action server on http://%s:%s", HOST, settings.action_server_port)
    app.run(host=HOST, port=settings.action_server_port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
