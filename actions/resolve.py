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

import functools
import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from rasa_sdk import Tracker

from knowledge.search import CONFIDENT, POSSIBLE, Candidate, ProcedureIndex, search_terms
from knowledge.text import fold, load_data

MAX_CHOICES = 3
# Two confident candidates closer than this are a tie: the search cannot tell them apart.
TIE_MARGIN = 1.0
# With a procedure in focus and no `procedure` entity, the whole message must fit another procedure at least
# this well to replace it: follow-ups ("phải trả bao nhiêu?") share words with many procedure names.
FOCUS_SWITCH_SCORE = 90.0
# A candidate the `procedure` entity also finds gains this much: the entity is a hint, not the question.
ENTITY_HINT = 3.0
# The search's best candidate, at least this good, is answered when the second opinion (BM25) ranks it first too.
AGREED_SCORE = 45.0
# The search's best candidate is worth offering beside the second opinion's from this score up.
WEAK_CHOICE = 45.0
# When nothing is plausible, a candidate at least this good still tells which department to point to.
WEAK_HINT = 45.0


@dataclass(frozen=True)
class Resolution:
    code: Optional[str]  # the procedure to answer about, or None
    source: str = ""  # "button" | "entity" | "message" | "slot" | ""
    candidates: Tuple[Candidate, ...] = ()  # close matches to offer when code is None
    named_by: str = ""  # "entity" | "message" | "": how the citizen named something we looked up
    assumed: bool = False  # the only plausible candidate, answered: the bot says which procedure it assumed
    weak: Optional[str] = None  # nothing plausible: the best weak candidate, whose field names who can help


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


def two_opinions(candidates: List[Candidate], second: List[Candidate]) -> Tuple[Candidate, ...]:
    """What to offer when the rankers disagree: the search's best (if at least WEAK_CHOICE), the second
    opinion's best, then the search's next if plausible; once each, at most MAX_CHOICES."""
    picks = [c for c in candidates[:1] if c.score >= WEAK_CHOICE] + second[:1]
    picks += [c for c in candidates[1:2] if c.score >= POSSIBLE]
    unique = {}
    for pick in picks:
        unique.setdefault(pick.code, pick)
    return tuple(list(unique.values())[:MAX_CHOICES])


def button_code(tracker: Tracker) -> Optional[str]:
    codes = entity_values(tracker, "procedure_code")
    return codes[0] if codes else None


def resolve(tracker: Tracker, index: ProcedureIndex, use_focus: bool = True) -> Resolution:
    """Find the procedure for this turn (see the module docstring for the order).

    The whole message is ranked first; a `procedure` entity is a hint that raises its candidates, never a
    replacement for the question. Then by confidence: confident → answer; one plausible candidate → answer
    it and say so (`assumed`); several → up to MAX_CHOICES choices; none → the focus or nothing."""
    code = button_code(tracker)
    if code:
        return Resolution(code, "button")

    focus = str(tracker.get_slot("procedure_code") or "") if use_focus else ""
    text = message_text(tracker)
    entities = entity_values(tracker, "procedure")
    named_by = "entity" if entities else ""
    candidates: List[Candidate] = []
    if text and search_terms(text):  # words that could name a procedure, not only "lệ phí bao nhiêu?"
        named_by = named_by or "message"
        candidates = list(index.search(text, limit=MAX_CHOICES + 2))
    hinted = {c.code for value in entities for c in index.search(value, limit=MAX_CHOICES) if c.score >= POSSIBLE}
    if hinted:
        known = {c.code for c in candidates}
        raised = [Candidate(c.code, c.name, min(c.score + ENTITY_HINT, 100.0)) if c.code in hinted else c
                  for c in candidates]
        extra = [c for value in entities for c in index.search(value, limit=MAX_CHOICES)
                 if c.code in hinted and c.code not in known]
        candidates = sorted(raised + extra, key=lambda c: -c.score)
    second = index.second_opinion(text) if named_by == "message" or (text and candidates) else []
    agreed = bool(candidates and second and second[0].code == candidates[0].code
                  and candidates[0].score >= AGREED_SCORE)
    clear = (not focus or named_by == "entity" or switches(text)
             or (candidates and candidates[0].score >= FOCUS_SWITCH_SCORE))
    if (is_confident(candidates) or agreed) and clear:
        return Resolution(candidates[0].code, "message" if named_by == "message" else "entity", named_by=named_by)
    choices = two_opinions(candidates, second)
    offered = {c.code for c in choices}
    moving = (named_by == "entity" and focus not in offered) or (switches(text) and choices and focus not in offered)
    if focus and not moving:
        return Resolution(focus, "slot", named_by=named_by)  # a follow-up ("lệ phí bao nhiêu?")
    if len(choices) == 1:
        return Resolution(choices[0].code, "message", named_by=named_by or "message", assumed=True)
    weak = candidates[0].code if candidates and candidates[0].score >= WEAK_HINT else None
    return Resolution(None, "", choices, named_by=named_by, weak=weak)


def switches(text: str) -> bool:
    """The message opens like "còn X thì sao" / "thế còn X" / "what about X": it moves to another procedure."""
    lowered = " ".join(text.lower().split())
    return any(lowered.startswith(opening + " ") for opening in _switch_openings())


@functools.lru_cache(maxsize=1)
def _dialogue() -> dict:
    return load_data("dialogue.yml") or {}


def _switch_openings() -> tuple:
    return tuple(_dialogue().get("switch_openings") or [])


def is_yes_no(text: str) -> bool:
    """A question that wants yes or no first ("nộp online được không", "có phải nộp phí không", "can I …")."""
    folded = " ".join(fold(text).strip(" ?!.").split())
    data = _dialogue()
    return (any(folded.endswith(" " + fold(e)) for e in data.get("yes_no_endings") or [])
            or any(folded.startswith(fold(o) + " ") for o in data.get("yes_no_openings") or []))


def asked_parts(text: str) -> List[str]:
    """What else the message asks, in answer kinds ("documents", "fee", "processing_time", "where", "online"),
    from the phrases of knowledge/data/asked.yml, in the order of that file."""
    folded = " " + " ".join(re.sub(r"[^\w]+", " ", fold(text)).split()) + " "
    return [kind for kind, phrases in _asked_phrases().items()
            if any(f" {phrase} " in folded for phrase in phrases)]


@functools.lru_cache(maxsize=1)
def _asked_phrases() -> dict:
    return {kind: [fold(p) for p in phrases] for kind, phrases in (load_data("asked.yml") or {}).items()}


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
