"""POST /api/feedback: a citizen's thumbs up/down on one bot answer, kept for trainers."""
from __future__ import annotations

import asyncio

from aiohttp import web

from bot.keys import DB_SESSIONS, SETTINGS
from bot.validation import boolean_field, rasa_sender, read_json_object, text_field
from knowledge.feedback import add_feedback

# The bot answer being rated can be longer than what a citizen may type.
MAX_RATED_MESSAGE_CHARS = 2000


async def feedback(request: web.Request) -> web.Response:
    document = await read_json_object(request)
    sender = rasa_sender(document)
    message = text_field(document, "message", max_chars=MAX_RATED_MESSAGE_CHARS)
    helpful = boolean_field(document, "helpful", missing_code="missing_helpful")
    comment = text_field(
        document, "comment", max_chars=request.app[SETTINGS].max_message_chars, required=False
    )
    sessions = request.app[DB_SESSIONS]

    def save() -> None:
        with sessions() as session, session.begin():
            add_feedback(session, sender=sender, message=message, helpful=helpful, comment=comment)

    await asyncio.to_thread(save)
    return web.json_response({"saved": True}, status=201)
