"""Checks on what browsers send to the API. Each failure raises `BadInput` with a machine code."""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from aiohttp import web

from bot.gateway.errors import ApiError, BadInput

JSON_CONTENT_TYPE = "application/json"
# The gateway owns Rasa's sender ids: whatever the browser sends gets this prefix.
SENDER_PREFIX = "web-"
# Feedback.sender and Rasa's tracker hold 64 characters; the prefix takes its share.
SENDER_MAX_CHARS = 64 - len(SENDER_PREFIX)
_SENDER = re.compile(r"[A-Za-z0-9_-]{1,%d}" % SENDER_MAX_CHARS)
# Layout characters a citizen may type; every other control character is refused.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
# The widget's id of one message (a UUID, or 32 hex digits where crypto.randomUUID is missing).
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
LANGUAGES = ("vi", "en")


async def read_json_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object; 413 over the app's client_max_size."""
    if request.content_type != JSON_CONTENT_TYPE:
        raise BadInput("wrong_content_type")
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "too_large") from None
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: "[[[[…"
        raise BadInput("malformed_json") from None
    if not isinstance(document, dict):
        raise BadInput("not_object")
    return document


def rasa_sender(document: dict[str, Any]) -> str:
    """The browser's sender id, checked and prefixed, as Rasa and the KB will know it."""
    sender = document.get("sender")
    if not isinstance(sender, str) or not _SENDER.fullmatch(sender):
        raise BadInput("bad_sender", max=SENDER_MAX_CHARS)
    return SENDER_PREFIX + sender


def text_field(document: dict[str, Any], name: str, *, max_chars: int, required: bool = True) -> str:
    """A text field, NFC-normalised and stripped; refuses control characters, empty and long text."""
    value = document.get(name)
    if value is None:
        if required:
            raise BadInput("missing_message")
        return ""
    if not isinstance(value, str):
        raise BadInput("wrong_type")
    if has_forbidden_characters(value):
        raise BadInput("control_characters")
    text = unicodedata.normalize("NFC", value).strip()
    if required and not text:
        raise BadInput("empty_message")
    if len(text) > max_chars:
        raise BadInput("too_long", max=max_chars)
    return text


def boolean_field(document: dict[str, Any], name: str, *, missing_code: str) -> bool:
    value = document.get(name)
    if not isinstance(value, bool):
        raise BadInput(missing_code)
    return value


def has_forbidden_characters(text: str) -> bool:
    """NUL and other control characters, and lone surrogates (JSON can carry "\\ud800")."""
    return any(
        (category == "Cc" and char not in _ALLOWED_CONTROLS) or category == "Cs"
        for char, category in ((char, unicodedata.category(char)) for char in text)
    )


def client_id_field(document: dict[str, Any]) -> str | None:
    """The widget's id of this message (sent again, unchanged, when it retries); None when not given."""
    value = document.get("client_id")
    if value is None:
        return None
    if not isinstance(value, str) or not _CLIENT_ID.fullmatch(value):
        raise BadInput("bad_client_id")
    return value


def language_field(document: dict[str, Any]) -> str | None:
    """The language the citizen chose in the widget ("vi" or "en"); None when not given."""
    value = document.get("language")
    if value is None:
        return None
    if value not in LANGUAGES:
        raise BadInput("bad_language")
    return value


def positive_int_field(document: dict[str, Any], name: str, *, code: str) -> int:
    value = document.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise BadInput(code)
    return value
