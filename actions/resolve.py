"""Which procedure is this turn about?

In order: the code a button sent (`choose_procedure`), the `procedure` entity, the whole message, and last
the procedure already in focus (slot `procedure_code`) for follow-ups such as "lệ phí bao nhiêu?".
- A name the search is confident about replaces the procedure in focus.
- Weaker matches of the whole message are offered as choices, but only when nothing is in focus.
- A `procedure` entity that does not fit the focus is never answered from the focus (choices, or "not found").
- A tie at the top ("đăng ký" fits marriage and birth registration equally) is not confidence: it is offered
  as a choice too.
Nothing is ever guessed: no clear match and no focus means no procedure.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from rasa_sdk import Tracker

from knowledge.search import CONFIDENT, POSSIBLE, Candidate, ProcedureIndex, search_terms

MAX_CHOICES = 5
# Two confident candidates closer than this are a tie: the search cannot tell them apart.
TIE_MARGIN = 1.0
# With a procedure in focus and no `procedure` entity, the whole message must fit another procedure at least
# this well to replace it: follow-ups ("phải trả bao nhiêu?") share words with many procedure names.
FOCUS_SWITCH_SCORE = 90.0


@dataclass(frozen=True)
class Resolution:
    code: Optional[str]  # the procedure to answer about, or None
    source: str = ""  # "button" | "entity" | "message" | "slot" | ""
    candidates: Tuple[Candidate, ...] = ()  # close matches to offer when code is None
    named_by: str = ""  # "entity" | "message" | "": how the citizen named something we looked up


def entity_values(tracker: Tracker, entity: str) -> List[str]:
    """Values of `entity` in the latest user message, in order, without duplicates."""
    values = [
        str(item.get("value")).strip()
        for item in tracker.latest_message.get("entities", []) or []
        if item.get("entity") == entity and item.get("value") not in (None, "")
    ]
    return list(dict.fromkeys(v for v in values if v))


def message_text(tracker: Tracker) -> str:
    """The user's words, or "" for a button payload such as `/ask_fee`."""
    text = (tracker.latest_message.get("text") or "").strip()
    return "" if text.startswith("/") else text


def is_confident(candidates: List[Candidate]) -> bool:
    """The best candidate is good enough to answer about, and clearly ahead of the next one."""
    if not candidates or candidates[0].score < CONFIDENT:
        return False
    return len(candidates) < 2 or candidates[1].score < candidates[0].score - TIE_MARGIN


def possible(candidates: Iterable[Candidate], limit: int = MAX_CHOICES) -> Tuple[Candidate, ...]:
    """Candidates good enough to offer, best first, one per code."""
    best: dict[str, Candidate] = {}
    for candidate in candidates:
        if candidate.score >= POSSIBLE and (
            candidate.code not in best or candidate.score > best[candidate.code].score
        ):
            best[candidate.code] = candidate
    ranked = sorted(best.values(), key=lambda c: c.score, reverse=True)
    return tuple(ranked[:limit])


def button_code(tracker: Tracker) -> Optional[str]:
    codes = entity_values(tracker, "procedure_code")
    return codes[0] if codes else None


def resolve(tracker: Tracker, index: ProcedureIndex, use_focus: bool = True) -> Resolution:
    """Find the procedure for this turn (see the module docstring for the order)."""
    code = button_code(tracker)
    if code:
        return Resolution(code, "button")

    focus = str(tracker.get_slot("procedure_code") or "") if use_focus else ""
    weak: List[Candidate] = []
    named_by = ""
    for value in entity_values(tracker, "procedure"):
        named_by = "entity"
        candidates = index.search(value, limit=MAX_CHOICES)
        if is_confident(candidates):
            return Resolution(candidates[0].code, "entity", named_by="entity")
        weak.extend(candidates)

    text = message_text(tracker)
    if text and search_terms(text):  # words that could name a procedure, not only "lệ phí bao nhiêu?"
        named_by = named_by or "message"
        candidates = index.search(text, limit=MAX_CHOICES)
        clear = not focus or named_by == "entity" or (candidates and candidates[0].score >= FOCUS_SWITCH_SCORE)
        if is_confident(candidates) and clear:
            return Resolution(candidates[0].code, "message", named_by=named_by)
        weak.extend(candidates)

    choices = possible(weak)
    if named_by == "entity" and focus not in {c.code for c in choices}:
        # They named a procedure that is not the one in focus: offer what fits, never answer about the focus.
        return Resolution(None, "", choices, named_by=named_by)
    if focus:
        return Resolution(focus, "slot", named_by=named_by)
    return Resolution(None, "", choices, named_by=named_by)


def pending_from_last_turn(tracker: Tracker) -> Optional[str]:
    """The answer the bot said it would give (slot `pending_info`) in its previous turn, if it did.

    "lệ phí?" → "which procedure?" → "khai sinh" answers the fee; the same "khai sinh" said later, after
    other talk, is a new question.
    """
    users = 0
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif users == 1 and event.get("event") == "slot" and event.get("name") == "pending_info":
            return event.get("value")
    return None
