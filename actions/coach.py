"""The online-submission coach's state and texts: which steps apply to a procedure, and each step's reply.

The state lives in four slots, so a coach survives other questions and new sessions:
`guide_procedure` (national code), `guide_steps` (keys of the steps that apply, fixed at the start),
`guide_step` (the key of the current step) and `guide_status` ("active", or "paused" after "stop" or a
new session). The step texts come from the knowledge base (guide `online_submission`, knowledge/guides.py)
with placeholders filled from the procedure record; nothing here invents a fact.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from sqlalchemy.orm import Session

from knowledge import repository
from knowledge.checklists import checklist_items, get_checklist, valid_answers
from knowledge.guides import COACH_SLUG, applicable_steps, fill, get_guide
from knowledge.models import Channel, GuideStep, Procedure
from knowledge.settings import Settings

from actions import formatting as fmt
from actions.base import Reply, contact_variables
from actions.documents import Groups
from actions.offices import place_name, receiving_places

SLOTS = ("guide_procedure", "guide_steps", "guide_step", "guide_status")
ACTIVE, PAUSED = "active", "paused"
MAX_DOCUMENTS = 8


@dataclass(frozen=True)
class CoachState:
    code: str
    steps: tuple  # applicable step keys
    current: str
    status: str

    @property
    def number(self) -> int:
        return self.steps.index(self.current) + 1

    @property
    def total(self) -> int:
        return len(self.steps)


def state_of(tracker: Tracker) -> Optional[CoachState]:
    """The coach in progress, or None."""
    code, steps, current, status = (tracker.get_slot(name) for name in SLOTS)
    if not code or not steps or current not in (steps or []) or status not in (ACTIVE, PAUSED):
        return None
    return CoachState(str(code), tuple(steps), str(current), str(status))


def state_events(tracker: Tracker, state: Optional[CoachState]) -> List[EventType]:
    """SlotSet events that store `state` (None clears the coach), only for the slots that change."""
    values = (state.code, list(state.steps), state.current, state.status) if state else (None,) * 4
    return [SlotSet(name, value) for name, value in zip(SLOTS, values) if tracker.get_slot(name) != value]


# ---------------------------------------------------------------- facts about the procedure
def online_channel(procedure: Procedure) -> Optional[Channel]:
    return next((c for c in procedure.channels if c.kind == "online"), None)


def has_fee(channel: Optional[Channel], today: Optional[dt.date] = None) -> bool:
    """Whether paying is part of applying online: the channel is not free for everyone (a fee in force, or
    one the record does not give as a clean figure)."""
    if channel is None:
        return False
    if channel.fee_amount is None and not channel.fees and not (channel.fee_text or "").strip():
        return False  # nothing known: see _fee_unknown
    return not fmt.is_free(channel, today or dt.date.today())


def agency_for(procedure: Procedure, session: Session, tracker: Tracker, language: str) -> str:
    """Where the application goes: Huế's offices that receive it (actions/offices.py), the citizen's ward's
    when the ward is known; the agency the record names when no office is known."""
    receiving = receiving_places(procedure)
    if not receiving.places:
        return fmt.handled_by(procedure, language)
    ward_name = tracker.get_slot("ward")
    ward = repository.find_ward(session, str(ward_name)) if ward_name and receiving.ward_level else None
    names = []
    for place in receiving.places:
        if place.kind == "ward":
            named = fmt.label("guide.agency_ward_named", language, ward_name=ward.name) if ward else None
            names.append(named or fmt.label("guide.agency_ward", language))
        else:
            names.append(place_name(place, ward, session, language))
    return fmt.label("where.or", language).join(dict.fromkeys(names))


def documents_to_upload(
    procedure: Procedure, session: Session, tracker: Tracker, language: str, official_url: str
) -> str:
    """The papers to hand in that everyone brings, then the cases' (not the notes the national records list
    with 0 copies, nor headings), shortened; only those of the citizen's case when they made their checklist
    for this procedure."""
    limit = int(fmt.label("guide.document_chars", language))
    groups = Groups.of(procedure.documents)
    papers = list(groups.core) + [d for _, case in groups.cases for d in case]
    names = [d.name for d in papers if d.kind != "present" and d.quantity != 0]
    if tracker.get_slot("checklist_procedure") == procedure.code:
        checklist = get_checklist(session, procedure.code)
        answers = valid_answers(checklist, tracker.get_slot("checklist_answers") or {})
        if checklist is not None and answers:
            items = checklist_items(checklist, procedure.documents, answers, language)
            names = [item.text for item in items if item.kind == "submit"]
    names = [fmt.shortened(name, limit) for name in names]
    if not names:
        return fmt.label("guide.documents_unknown", language, official_url=official_url)
    lines = names[:MAX_DOCUMENTS]
    text = fmt.bullets(lines)
    if len(names) > MAX_DOCUMENTS:
        text += "\n" + fmt.label("documents.more", language, count=len(names) - MAX_DOCUMENTS)
    return text


def step_values(
    procedure: Procedure, session: Session, tracker: Tracker, settings: Settings, language: str
) -> Dict[str, str]:
    """What the step texts' placeholders stand for, for this procedure."""
    official_url = fmt.official_link(procedure, settings.national_portal_url)
    channel = online_channel(procedure)
    fee = fmt.fee_of(channel, language) if channel is not None else fmt.label("guide.fee_unknown", language)
    if channel is not None and fee == fmt.label("fees.not_stated", language):
        fee = fmt.label("guide.fee_unknown", language)
    return {
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "agency": agency_for(procedure, session, tracker, language),
        "documents": documents_to_upload(procedure, session, tracker, language, official_url),
        "fee": fee,
        "result": procedure.result or fmt.label("unknown", language),
        "official_url": official_url,
        "portal_url": settings.national_portal_url,
        "city_hotline": settings.city_hotline,
        "national_hotline": settings.national_hotline,
    }


def applicable_keys(session: Session, procedure: Procedure) -> List[str]:
    """The keys of the coach's steps that apply to `procedure` (free for everyone: no payment step)."""
    guide = get_guide(session, COACH_SLUG, "vi")
    if guide is None:
        return []
    facts = {"fee": has_fee(online_channel(procedure)) or _fee_unknown(procedure)}
    return [step.key for step in applicable_steps(guide.steps, facts)]


def _fee_unknown(procedure: Procedure) -> bool:
    channel = online_channel(procedure)
    return channel is not None and channel.fee_amount is None and not (channel.fee_text or "").strip()


# ---------------------------------------------------------------- replies
def current_step(session: Session, state: CoachState, language: str) -> Optional[GuideStep]:
    guide = get_guide(session, COACH_SLUG, language)
    if guide is None:
        return None
    return next((step for step in guide.steps if step.key == state.current), None)


def step_reply(
    session: Session, state: CoachState, tracker: Tracker, settings: Settings, language: str
) -> List[Reply]:
    """"Bước N/M: title" with what to do, and the Done / Stuck / Stop buttons (in the response)."""
    procedure = repository.get_procedure(session, state.code)
    step = current_step(session, state, language)
    if procedure is None or step is None:
        return []
    values = step_values(procedure, session, tracker, settings, language)
    buttons = None
    if step.key == "upload" and get_checklist(session, procedure.code) is not None:
        payload = '/ask_checklist{"procedure_code":"%s"}' % procedure.code
        buttons = [{"title": fmt.label("guide.checklist_button", language), "payload": payload}]
    variables = {
        "step_number": state.number,
        "step_total": state.total,
        "step_title": fill(step.title, values),
        "step_body": fill(step.body, values),
    }
    return [Reply("utter_guide_step", variables, buttons)]


def position_variables(session: Session, state: CoachState, language: str) -> Dict[str, object]:
    """Where the citizen is: for the resume offer, the welcome back and "stopped" replies."""
    procedure = repository.get_procedure(session, state.code)
    step = current_step(session, state, language)
    name = procedure.name if procedure is not None else state.code
    values = {"procedure_code": state.code, "procedure_name": name}
    return {
        "procedure_name": name,
        "procedure_code": state.code,
        "step_number": state.number,
        "step_total": state.total,
        "step_title": fill(step.title, values) if step is not None else "",
    }


def help_reply(session: Session, state: CoachState, tracker: Tracker, settings: Settings, language: str) -> Reply:
    """Tips for the current step, a tutorial button when the step names one, and who to call."""
    step = current_step(session, state, language)
    procedure = repository.get_procedure(session, state.code)
    values = step_values(procedure, session, tracker, settings, language) if procedure is not None else {}
    tips = fill(step.help, values) if step is not None and step.help.strip() else fmt.label("guide.no_help", language)
    buttons = None
    if step is not None and step.tutorial:
        tutorial = get_guide(session, step.tutorial, language)
        if tutorial is not None:
            payload = '/ask_tutorial{"tutorial":"%s"}' % tutorial.slug
            title = fmt.label("guide.tutorial_button", language, title=tutorial.title)
            buttons = [{"title": title, "payload": payload}]
    variables = {**position_variables(session, state, language), "step_help": tips, **contact_variables(settings)}
    return Reply("utter_guide_help", variables, buttons)


def resume_offer(session: Session, tracker: Tracker) -> List[Reply]:
    """After another answer in the middle of a coach: offer to go back to the same step."""
    state = state_of(tracker)
    if state is None or state.status != ACTIVE:
        return []
    language = fmt.language_of(tracker.get_slot("language"))
    return [Reply("utter_guide_resume_offer", position_variables(session, state, language))]
