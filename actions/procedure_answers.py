"""Answers about one procedure: overview, documents, fee, processing time, where, online, steps.

`ProcedureAnswer` (abstract, so the SDK does not register it) finds the procedure for this turn
(actions.resolve), then asks its subclass for the replies. Every answer is built only from the knowledge-base
record, names the procedure and its national code, and links to the official page. A procedure handled by a
ministry gets a note that the city does not handle it.
"""
from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar, Dict, List, Type

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from sqlalchemy.orm import Session

from knowledge import repository
from knowledge.models import Procedure
from knowledge.settings import Settings

from actions import formatting as fmt
from actions.documents import budget_for, documents_page
from actions.base import (
    KnowledgeAction,
    Outcome,
    Reply,
    choose_among,
    contact_variables,
    focus_events,
    language,
    not_found,
)
from actions.departments import LEGAL_HELP, department_for
from actions.kb import KnowledgeBase
from actions.offices import (
    CITY_CENTRE,
    city_office_replies,
    places_text,
    receiving_places,
    ward_of,
    ward_office_outcome,
    ward_text,
)
from actions.resolve import asked_parts, is_yes_no, entity_values, message_text, pending_from_last_turn, resolve


@dataclass
class AnswerContext:
    session: Session
    settings: Settings
    tracker: Tracker
    language: str
    events: List[EventType] = field(default_factory=list)  # extra events an answer wants returned
    today: dt.date = field(default_factory=dt.date.today)  # fees in force on this day

    def basics(self, procedure: Procedure, full_name: bool = False) -> Dict[str, str]:
        """Name, code and official link; a very long name is shortened (the code and the link identify it)
        except where `full_name` is asked for (the overview)."""
        return {
            "procedure_name": procedure.name if full_name else fmt.shortened(procedure.name, fmt.NAME_CHARS),
            "procedure_code": procedure.code,
            "official_url": fmt.official_link(procedure, self.settings.national_portal_url),
        }


CONDITIONS_CHARS = 500
LEGAL_TITLE_CHARS = 140
MAX_LEGAL_TEXTS = 4


class ProcedureAnswer(KnowledgeAction):
    kind: ClassVar[str]

    def name(self) -> str:
        return f"action_answer_{self.kind}"

    @abstractmethod
    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        """The replies for this kind of answer about `procedure`."""

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        return answer_resolution(self.kind, resolve(tracker, kb.index(session)), kb, session, tracker)


def answer_resolution(kind: str, resolution, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
    """The turn's answer once the procedure is resolved (shared with action_fallback): every asked part, yes or
    no first, the assumed procedure named; or the choices; or "I don't know"; or which procedure?"""
    pending = pending_from_last_turn(tracker)
    if kind == "overview" and pending in ANSWERS and resolution.source in ("entity", "message"):
        kind = pending  # "lệ phí?" → "which procedure?" → "khai sinh": answer the fee
    if resolution.code:
        text = message_text(tracker)
        parts = [k for k in asked_parts(text) if k in ANSWERS]
        kinds = parts if kind == "overview" and parts else [kind] + [k for k in parts if k != kind]
        procedure = repository.get_procedure(session, resolution.code)
        if procedure is None:
            return [not_found(kb.settings)], []
        replies, events = answers_about(kinds, procedure, session, kb.settings, tracker)
        verdict = yes_or_no(kinds[0], procedure) if is_yes_no(text) else None
        if verdict is not None:
            replies.insert(0, Reply("utter_yes_no", {"answer": fmt.label(f"yes_no.{verdict}", language(tracker))}))
        if resolution.assumed:
            replies.insert(0, Reply("utter_assumed_procedure", {"procedure_name": procedure.name}))
        return replies, events
    if resolution.candidates:
        return [choose_among(resolution.candidates, language(tracker))], [SlotSet("pending_info", kind)]
    if resolution.named_by:  # they named something the catalogue does not have
        return unanswered(kb, session, tracker, resolution), []
    return [Reply("utter_ask_which_procedure")], [SlotSet("pending_info", kind)]


def unanswered(kb: KnowledgeBase, session: Session, tracker: Tracker, resolution) -> List[Reply]:
    """No procedure fits: a legal question is named as such with who answers it; otherwise "I don't know" with
    the department of the closest field."""
    if "legal" in asked_parts(message_text(tracker)):
        return [legal_help(kb.settings)]
    weak = repository.get_procedure(session, resolution.weak) if resolution.weak else None
    return [not_found(kb.settings, department_for(weak))]


def yes_or_no(kind: str, procedure: Procedure | None) -> str | None:
    """"yes"/"no" for a yes/no question about the fee (is there one) or online submission; None when the record
    cannot say (an unclear fee) or the question is about something else."""
    if procedure is None:
        return None
    if kind == "online":
        return "yes" if fmt.has_online_channel(procedure) else "no"
    if kind == "fee":
        amounts = [channel.fee_amount for channel in procedure.channels]
        if amounts and all(amount == 0 for amount in amounts):
            return "no"
        if any(amount for amount in amounts):
            return "yes"
    return None


def answer_outcome(kind: str, code: str, session: Session, settings: Settings, tracker: Tracker) -> Outcome:
    """Replies and events for answer `kind` about procedure `code` (shared with choose and the coach)."""
    procedure = repository.get_procedure(session, code)
    if procedure is None:
        return [not_found(settings)], []
    return answers_about([kind], procedure, session, settings, tracker)


def answers_about(kinds: List[str], procedure: Procedure, session: Session, settings: Settings,
                  tracker: Tracker) -> Outcome:
    """The answers of `kinds` about `procedure`, in order; the "city does not handle it" note once, after them."""
    context = AnswerContext(session, settings, tracker, language(tracker))
    replies: List[Reply] = []
    for kind in kinds:
        replies += ANSWERS[kind]().replies(procedure, context)
    if any(kind != "where" for kind in kinds) and receiving_places(procedure).outside:  # no office in Huế receives it
        handled_by = fmt.handled_by(procedure, context.language)
        replies.append(Reply("utter_not_city_level", {**context.basics(procedure), "handled_by": handled_by}))
    events = focus_events(tracker, procedure.code)
    return replies, events + [e for e in context.events if e not in events]


class ActionAnswerOverview(ProcedureAnswer):
    kind = "overview"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        unknown = fmt.label("unknown", context.language)
        variables = {
            **context.basics(procedure, full_name=True),
            "field": procedure.field or unknown,
            "handled_by": fmt.handled_by(procedure, context.language),
            "result": procedure.result or unknown,
        }
        return [Reply("utter_overview", variables)]


class ActionAnswerDocuments(ProcedureAnswer):
    """The papers, phone-sized (actions/documents.py); a button's `document_case` asks for another page."""

    kind = "documents"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        basics = context.basics(procedure)
        selection = next(iter(entity_values(context.tracker, "document_case")), None)
        budget = budget_for(basics["procedure_name"], procedure.code, basics["official_url"], context.language)
        page = documents_page(procedure.code, procedure.documents, context.language, budget, selection)
        if not page.text:
            return [Reply("utter_documents_unknown", basics)]
        return [Reply("utter_documents", {**basics, "documents": page.text}, page.buttons or None)]


class ActionAnswerFee(ProcedureAnswer):
    kind = "fee"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        fees = fmt.fees_text(procedure.channels, context.language, context.today)
        return [Reply("utter_fee", {**context.basics(procedure), "fees": fees})]


class ActionAnswerProcessingTime(ProcedureAnswer):
    kind = "processing_time"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        times = fmt.times_text(procedure.channels, context.language)
        return [Reply("utter_processing_time", {**context.basics(procedure), "times": times})]


class ActionAnswerWhere(ProcedureAnswer):
    """Huế's offices that receive the file (actions/offices.py); "the city does not handle it" only when
    every agency that receives it is ministry-level."""

    kind = "where"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        basics = context.basics(procedure)
        receiving = receiving_places(procedure)
        if not receiving.places:
            handled_by = receiving.agencies or fmt.handled_by(procedure, context.language)
            response = "utter_where_ministry" if receiving.outside else "utter_where_other"
            return [Reply(response, {**basics, "handled_by": handled_by})]
        session, tracker, lang = context.session, context.tracker, context.language
        ward = ward_of(session, tracker) if receiving.ward_level else None
        replies = [Reply("utter_where", {**basics, "places": places_text(receiving, ward, session, lang)})]
        if receiving.ward_level:
            text = ward_text(tracker)
            if not text:
                replies.append(Reply("utter_ask_ward"))
            elif ward is None or any(place.kind == "ward" for place in receiving.places):
                office_replies, events = ward_office_outcome(session, text, lang, context.settings, tracker)
                context.events.extend(events)
                replies += office_replies
            elif tracker.get_slot("ward") != ward.name:
                context.events.append(SlotSet("ward", ward.name))
        if any(place.name == CITY_CENTRE for place in receiving.places):
            replies += city_office_replies(session, lang)
        return replies


class ActionAnswerOnline(ProcedureAnswer):
    kind = "online"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        if procedure.full_online:
            response = "utter_online_full"
        elif fmt.has_online_channel(procedure):
            response = "utter_online_partial"
        else:
            response = "utter_online_unavailable"
        return [Reply(response, context.basics(procedure))]


class ActionAnswerSteps(ProcedureAnswer):
    kind = "steps"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        basics = context.basics(procedure)
        if not procedure.steps:
            return [Reply("utter_steps_unknown", basics)]
        steps = fmt.steps_text(list(procedure.steps), context.language)
        return [Reply("utter_steps", {**basics, "steps": steps})]


class ActionAnswerConditions(ProcedureAnswer):
    """Who may apply and on what conditions: the record's conditions and its legal basis, in its words."""

    kind = "conditions"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        variables = {**context.basics(procedure), "legal_basis": legal_basis_text(procedure, context.language)}
        if (procedure.conditions or "").strip():
            conditions = fmt.quoted(procedure.conditions, context.language, CONDITIONS_CHARS)
            return [Reply("utter_conditions", {**variables, "conditions": conditions})]
        return [Reply("utter_conditions_none", variables)]


class ActionAnswerLegal(ActionAnswerConditions):
    """A legal question ("có bị phạt không", "có được không" about the law): the related procedure's conditions
    and legal basis, and who answers legal questions; the bot gives no legal advice of its own."""

    kind = "legal"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        return super().replies(procedure, context) + [legal_help(context.settings)]


def legal_basis_text(procedure: Procedure, language: str) -> str:
    titles = [b.get("title") or b.get("number") for b in procedure.legal_basis or [] if b.get("title") or b.get("number")]
    if not titles:
        return fmt.label("unknown", language)
    lines = [fmt.shortened(title, LEGAL_TITLE_CHARS) for title in titles[:MAX_LEGAL_TEXTS]]
    return fmt.bullets(lines)


def legal_help(settings: Settings) -> Reply:
    """Who answers legal questions in Huế (knowledge/data/departments.yml "legal_help")."""
    return Reply("utter_legal_question", {**contact_variables(settings), "department": LEGAL_HELP})


# Answer kinds by the value `pending_info` holds.
ANSWERS: Dict[str, Type[ProcedureAnswer]] = {
    answer.kind: answer
    for answer in (
        ActionAnswerOverview,
        ActionAnswerDocuments,
        ActionAnswerFee,
        ActionAnswerProcessingTime,
        ActionAnswerWhere,
        ActionAnswerOnline,
        ActionAnswerSteps,
        ActionAnswerConditions,
        ActionAnswerLegal,
    )
}
