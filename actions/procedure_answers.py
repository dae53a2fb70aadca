"""Answers about one procedure: overview, documents, fee, processing time, where, online, steps.

`ProcedureAnswer` (abstract, so the SDK does not register it) finds the procedure for this turn
(actions.resolve), then asks its subclass for the replies. Every answer is built only from the knowledge-base
record, names the procedure and its national code, and links to the official page. A procedure handled by a
ministry gets a note that the city does not handle it.
"""
from __future__ import annotations

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
from actions.base import (
    KnowledgeAction,
    Outcome,
    Reply,
    choose_among,
    focus_events,
    language,
    not_found,
)
from actions.kb import KnowledgeBase
from actions.offices import city_office_replies, ward_office_outcome, ward_text
from actions.resolve import pending_from_last_turn, resolve


@dataclass
class AnswerContext:
    session: Session
    settings: Settings
    tracker: Tracker
    language: str
    events: List[EventType] = field(default_factory=list)  # extra events an answer wants returned

    def basics(self, procedure: Procedure) -> Dict[str, str]:
        return {
            "procedure_name": procedure.name,
            "procedure_code": procedure.code,
            "official_url": fmt.official_link(procedure, self.settings.national_portal_url),
        }


class ProcedureAnswer(KnowledgeAction):
    kind: ClassVar[str]

    def name(self) -> str:
        return f"action_answer_{self.kind}"

    @abstractmethod
    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        """The replies for this kind of answer about `procedure`."""

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        resolution = resolve(tracker, kb.index(session))
        kind = self.kind
        pending = pending_from_last_turn(tracker)
        if kind == "overview" and pending in ANSWERS and resolution.source in ("entity", "message"):
            kind = pending  # "lệ phí?" → "which procedure?" → "khai sinh": answer the fee
        if resolution.code:
            return answer_outcome(kind, resolution.code, session, kb.settings, tracker)
        if resolution.candidates:
            return [choose_among(resolution.candidates)], [SlotSet("pending_info", kind)]
        if resolution.named_by:
            return [not_found(kb.settings)], []  # they named something the catalogue does not have
        return [Reply("utter_ask_which_procedure")], [SlotSet("pending_info", kind)]


def answer_outcome(kind: str, code: str, session: Session, settings: Settings, tracker: Tracker) -> Outcome:
    """Replies and events for answer `kind` about procedure `code` (shared with choose and fallback)."""
    procedure = repository.get_procedure(session, code)
    if procedure is None:
        return [not_found(settings)], []
    context = AnswerContext(session, settings, tracker, language(tracker))
    replies = ANSWERS[kind]().replies(procedure, context)
    if procedure.level == "ministry" and kind != "where":
        handled_by = fmt.handled_by(procedure, context.language)
        replies.append(Reply("utter_not_city_level", {**context.basics(procedure), "handled_by": handled_by}))
    return replies, focus_events(tracker, code) + context.events


class ActionAnswerOverview(ProcedureAnswer):
    kind = "overview"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        unknown = fmt.label("unknown", context.language)
        variables = {
            **context.basics(procedure),
            "field": procedure.field or unknown,
            "handled_by": fmt.handled_by(procedure, context.language),
            "result": procedure.result or unknown,
        }
        return [Reply("utter_overview", variables)]


class ActionAnswerDocuments(ProcedureAnswer):
    kind = "documents"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        basics = context.basics(procedure)
        if not procedure.documents:
            return [Reply("utter_documents_unknown", basics)]
        variables = {
            **basics,
            "documents": fmt.documents_text(procedure.documents, context.language),
            "source_url": procedure.source_url or basics["official_url"],
        }
        return [Reply("utter_documents", variables)]


class ActionAnswerFee(ProcedureAnswer):
    kind = "fee"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        fees = fmt.fees_text(procedure.channels, context.language)
        return [Reply("utter_fee", {**context.basics(procedure), "fees": fees})]


class ActionAnswerProcessingTime(ProcedureAnswer):
    kind = "processing_time"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        times = fmt.times_text(procedure.channels, context.language)
        return [Reply("utter_processing_time", {**context.basics(procedure), "times": times})]


class ActionAnswerWhere(ProcedureAnswer):
    kind = "where"

    def replies(self, procedure: Procedure, context: AnswerContext) -> List[Reply]:
        variables = {**context.basics(procedure), "handled_by": fmt.handled_by(procedure, context.language)}
        if procedure.level == "ward":
            replies = [Reply("utter_where_ward", variables)]
            ward = ward_text(context.tracker)
            if not ward:
                return replies + [Reply("utter_ask_ward")]
            office_replies, events = ward_office_outcome(
                context.session, ward, context.language, context.settings, context.tracker
            )
            context.events.extend(events)
            return replies + office_replies
        if procedure.level == "city":
            return [Reply("utter_where_city", variables)] + city_office_replies(context.session, context.language)
        if procedure.level == "ministry":
            return [Reply("utter_where_ministry", variables)]
        return [Reply("utter_where_other", variables)]


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
    )
}
