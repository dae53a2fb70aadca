"""POST /api/chat: one citizen message to Rasa and its replies back.

Body: {"sender", "message", "client_id"?, "language"?}. A message sent again with the same `client_id` (the
widget retrying after a network error) gets the same replies and reaches Rasa once (bot.gateway.dedup). `language` is
the one chosen in the widget; Rasa gets it as the message's metadata, and the `language` slot follows it when
the message itself does not say (a button, "ok"): knowledge.text.language_change.

Rasa answering nothing at all means the action server failed or is restarting, or the knowledge base is locked: the
citizen gets 503 and a polite text in their language (`no_answer`), never an empty answer, and the widget's retry
is sent to Rasa again (a failure is not remembered by bot.gateway.dedup).
"""
from __future__ import annotations

import logging

from aiohttp import web

from bot.gateway import rasa_client
from bot.gateway.errors import ApiError, BadInput, error_response
from bot.gateway.keys import RASA_HTTP, REPLIES, SETTINGS
from bot.gateway.payloads import to_rasa_message
from bot.gateway.validation import client_id_field, language_field, rasa_sender, read_json_object, text_field
from knowledge.redact import redact

log = logging.getLogger(__name__)


class NoAnswer(Exception):
    """Rasa answered the message with no message at all."""


async def chat(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    document = await read_json_object(request)
    sender = rasa_sender(document)
    text = text_field(document, "message", max_chars=settings.max_message_chars)
    client_id = client_id_field(document)
    language = language_field(document)
    message = to_rasa_message(text, redact)
    if not message:  # only slashes
        raise BadInput("empty_message")

    async def replies() -> list[dict]:
        messages = await rasa_client.send_message(
            request.app[RASA_HTTP],
            settings.rasa_url,
            sender,
            message,
            token=settings.rasa_token,
            metadata={"language": language} if language else None,
        )
        if not messages:
            raise NoAnswer()
        return messages

    try:
        if client_id is None:
            messages = await replies()
        else:
            messages = await request.app[REPLIES].once((sender, client_id, message), replies)
    except rasa_client.RasaUnavailable as error:
        log.warning("chat: Rasa unavailable: %s", error)
        raise ApiError(503, "rasa_unavailable") from None
    except NoAnswer:
        log.warning("chat: Rasa answered nothing (the action server failed or is restarting, or the KB is locked)")
        return error_response(request, 503, "no_answer", language, hotline=settings.city_hotline)
    return web.json_response({"messages": messages})
