"""GET /healthz: is the gateway up, and do Rasa and the action server answer?"""
from __future__ import annotations

import asyncio

from aiohttp import web

from bot.keys import RASA_HTTP, SETTINGS
from bot.rasa_client import answers


async def healthz(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    http = request.app[RASA_HTTP]
    # Rasa's "/" says "Hello from Rasa" without a token (its /status may need one).
    rasa_ok, actions_ok = await asyncio.gather(
        answers(http, settings.rasa_url.rstrip("/") + "/"),
        answers(http, settings.action_server_url.rstrip("/") + "/health"),
    )
    report = {
        "gateway": "ok",
        "rasa": "ok" if rasa_ok else "down",
        "actions": "ok" if actions_ok else "down",
    }
    return web.json_response(report, status=200 if rasa_ok and actions_ok else 503)
