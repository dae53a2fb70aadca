"""POST /api/chat: one citizen message to Rasa and its replies back."""
from __future__ import annotations

import logging

from aiohttp import web

from bot import rasa_client
from bot.errors import ApiError, BadInput
from bot.keys import RASA_HTTP, SETTINGS
from bot.payloads import to_rasa_message
from bot.validation import rasa_sender, read_json_object, text_field
from knowledge.redact import redact

log = logging.getLogger(__name__)


async def chat(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    document = await read_json_object(request)
    sender = rasa_sender(document)
    text = text_field(document, "message", max_chars=settings.max_message_chars)
    message = to_rasa_message(text, redact)
    if not message:  # only slashes
        raise BadInput("empty_message")
    try:
        replies = await rasa_client.send_message(
            request.app[RASA_HTTP], settings.rasa_url, sender, message, token=settings.rasa_token
        )
    except rasa_client.RasaUnavailable as error:
        log.warning("chat: Rasa unavailable: %s", error)
        raise ApiError(503, "rasa_unavailable") from None
    return web.json_response({"messages": replies})
