"""POST /api/feedback: a citizen's 👍/👎 on one bot answer, kept for trainers;
POST /api/feedback/comment: what was wrong, said after a 👎 (optional).

Any answer can be rated, however long: the start of the answer is kept (MAX_RATED_MESSAGE_CHARS, cut with "…"),
enough for a trainer to find it in the conversation. Answer and comment are redacted before they are stored
(knowledge.feedback).
"""
from __future__ import annotations

import asyncio

from aiohttp import web

from bot.gateway.errors import ApiError
from bot.gateway.keys import DB_SESSIONS, SETTINGS
from bot.gateway.validation import boolean_field, positive_int_field, rasa_sender, read_json_object, text_field
from knowledge.feedback import add_comment, add_feedback

# How much of the rated answer is stored.
MAX_RATED_MESSAGE_CHARS = 2000


def kept_start(text: str, limit: int = MAX_RATED_MESSAGE_CHARS) -> str:
    """`text`, or its first `limit` characters ending with "…"."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def feedback(request: web.Request) -> web.Response:
    document = await read_json_object(request)
    sender = rasa_sender(document)
    # No length limit beyond the request's own (MAX_REQUEST_BYTES): the answer is cut, never refused.
    message = kept_start(text_field(document, "message", max_chars=request.app[SETTINGS].max_request_bytes))
    helpful = boolean_field(document, "helpful", missing_code="missing_helpful")
    comment = text_field(
        document, "comment", max_chars=request.app[SETTINGS].max_message_chars, required=False
    )
    sessions = request.app[DB_SESSIONS]

    def save() -> int:
        with sessions() as session, session.begin():
            return add_feedback(session, sender=sender, message=message, helpful=helpful, comment=comment).id

    feedback_id = await asyncio.to_thread(save)
    return web.json_response({"saved": True, "id": feedback_id}, status=201)


async def feedback_comment(request: web.Request) -> web.Response:
    document = await read_json_object(request)
    sender = rasa_sender(document)
    feedback_id = positive_int_field(document, "id", code="bad_feedback_id")
    comment = text_field(document, "comment", max_chars=request.app[SETTINGS].max_message_chars)
    sessions = request.app[DB_SESSIONS]

    def save() -> bool:
        with sessions() as session, session.begin():
            return add_comment(session, feedback_id=feedback_id, sender=sender, comment=comment) is not None

    if not await asyncio.to_thread(save):
        raise ApiError(404, "feedback_not_found")
    return web.json_response({"saved": True})
