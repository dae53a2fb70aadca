"""POST /api/history: the conversation so far, to draw it again after a reload or in a new tab.

Body: {"sender"}. The gateway reads Rasa's tracker of that browser's own sender id (prefixed, like every id the
gateway hands Rasa, so no other conversation can be named) and returns its messages in order (see
bot.gateway.rasa_client.conversation). A POST, so that the sender id stays out of URLs and access logs.
"""
from __future__ import annotations

import logging

from aiohttp import web

from bot.gateway import rasa_client
from bot.gateway.errors import ApiError
from bot.gateway.keys import RASA_HTTP, SETTINGS
from bot.gateway.validation import rasa_sender, read_json_object

log = logging.getLogger(__name__)


async def history(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    sender = rasa_sender(await read_json_object(request))
    try:
        messages = await rasa_client.fetch_conversation(
            request.app[RASA_HTTP], settings.rasa_url, sender, token=settings.rasa_token
        )
    except rasa_client.RasaUnavailable as error:
        log.warning("history: Rasa unavailable: %s", error)
        raise ApiError(503, "rasa_unavailable") from None
    response = web.json_response({"messages": messages})
    response.headers["Cache-Control"] = "no-store"
    return response
