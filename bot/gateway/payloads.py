"""Which "/intent" payloads a browser may send to Rasa.

Rasa reads any message starting with "/" as an intent with entities, so a citizen could otherwise
jump to any intent or set any slot. Button payloads are let through only as `/intent` or
`/intent{json object}` with the intent in `ALLOWED_INTENTS`; any other text loses its leading
slashes and reaches Rasa as plain words. Entity values are redacted, integers too.
"""
from __future__ import annotations

import json
import re
from typing import Callable

# The one list of intents buttons may trigger.
ALLOWED_INTENTS = frozenset(
    {
        "choose_procedure",
        # the online-submission coach, tutorials and personal checklists
        "start_guide",
        "guide_next",
        "guide_stuck",
        "guide_stop",
        "guide_resume",
        "ask_tutorial",
        "ask_checklist",
        "checklist_answer",
        "ask_documents",
        "ask_fee",
        "ask_processing_time",
        "ask_where",
        "ask_online",
        "ask_steps",
        "affirm",
        "deny",
        "greet",
    }
)

_PAYLOAD = re.compile(r"/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?", re.DOTALL)
_ENTITY_NAME = re.compile(r"[a-z_]{1,64}")
_LEADING_SLASHES = re.compile(r"^[/\s]+")


def to_rasa_message(text: str, redact: Callable[[str], str]) -> str:
    """The message Rasa gets: an allowed payload (entity values redacted) or redacted plain text."""
    payload = _allowed_payload(text, redact)
    if payload is not None:
        return payload
    return redact(_LEADING_SLASHES.sub("", text))


def _allowed_payload(text: str, redact: Callable[[str], str]) -> str | None:
    match = _PAYLOAD.fullmatch(text)
    if match is None or match["intent"] not in ALLOWED_INTENTS:
        return None
    if match["entities"] is None:
        return "/" + match["intent"]
    try:
        entities = json.loads(match["entities"])
    except ValueError:
        return None
    if not isinstance(entities, dict) or not all(_is_entity(name, value) for name, value in entities.items()):
        return None
    cleaned = {name: _redacted_entity(value, redact) for name, value in entities.items()}
    return "/" + match["intent"] + json.dumps(cleaned, ensure_ascii=False, separators=(",", ":"))


def _redacted_entity(value: str | int, redact: Callable[[str], str]) -> str | int:
    """A string redacted; an integer that is personal data ({"x": 905123456}) becomes its placeholder."""
    written = value if isinstance(value, str) else str(value)
    redacted = redact(written)
    return value if redacted == written else redacted


def _is_entity(name: str, value: object) -> bool:
    scalar = isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
    return bool(_ENTITY_NAME.fullmatch(name)) and scalar
