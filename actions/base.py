"""What every knowledge-backed action shares: replies, slot events, and running the work off the event loop.

`KnowledgeAction` is abstract, so the SDK does not register it. Subclasses implement `respond()`, which runs
in a worker thread with an open session (database calls are synchronous) and returns the replies to send and
the events to return; `run()` sends the replies through the dispatcher. When the citizen asked something in
the middle of the online-submission coach, the answer is followed by an offer to go back to the same step
(actions.coach.resume_offer), unless the action is part of the coach or is still asking a question.
"""
from __future__ import annotations

import asyncio
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from knowledge.search import Candidate
from knowledge.settings import Settings

from actions import formatting as fmt
from actions.formatting import language_of
from actions.kb import KnowledgeBase, knowledge_base


@dataclass
class Reply:
    """One domain response to utter, with its variables and any buttons the action adds."""

    response: str
    variables: Dict[str, Any] = field(default_factory=dict)
    buttons: Optional[List[Dict[str, str]]] = None


Outcome = Tuple[List[Reply], List[EventType]]


def language(tracker: Tracker) -> str:
    return language_of(tracker.get_slot("language"))


def contact_variables(settings: Settings) -> Dict[str, str]:
    return {
        "national_portal_url": settings.national_portal_url,
        "city_portal_url": settings.city_portal_url,
        "national_hotline": settings.national_hotline,
        "city_hotline": settings.city_hotline,
    }


def not_found(settings: Settings, department: str = "") -> Reply:
    """"I don't know", naming the department most likely responsible when there is one."""
    if department:
        return Reply("utter_not_found_department", {**contact_variables(settings), "department": department})
    return Reply("utter_not_found", contact_variables(settings))


def choice_payload(code: str) -> str:
    return "/choose_procedure" + json.dumps({"procedure_code": code}, separators=(",", ":"))


def choose_among(candidates: Sequence[Candidate], language: str = "vi") -> Reply:
    """Up to three procedures as buttons, and "none of these" for a free-text retry."""
    buttons = [{"title": candidate.name, "payload": choice_payload(candidate.code)} for candidate in candidates]
    buttons.append({"title": fmt.label("none_of_these", language), "payload": "/deny"})
    return Reply("utter_choose_procedure", {}, buttons)


def focus_events(tracker: Tracker, code: str) -> List[EventType]:
    """Put `code` in focus and forget any pending choice (only the slots that change)."""
    events: List[EventType] = []
    if tracker.get_slot("procedure_code") != code:
        events.append(SlotSet("procedure_code", code))
    if tracker.get_slot("pending_info"):
        events.append(SlotSet("pending_info", None))
    return events


# Replies that ask the citizen something: no offer to resume the coach after them.
QUESTIONS = frozenset(
    {
        "utter_ask_which_procedure", "utter_choose_procedure", "utter_ask_ward", "utter_tutorial_choose",
        "utter_checklist_question", "utter_checklist_ask_procedure", "utter_guide_ask_procedure",
    }
)  # fmt: skip


class KnowledgeAction(Action, ABC):
    """An action that reads the knowledge base."""

    # False for the coach's own actions, which say where the citizen is themselves.
    offers_guide_resume: bool = True

    @abstractmethod
    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        """Work out the replies and events for this turn."""

    def asks_question(self, replies: List[Reply]) -> bool:
        """Whether these replies wait for an answer (then the coach's resume offer would be in the way)."""
        return any(reply.response in QUESTIONS for reply in replies)

    def _respond(self, kb: KnowledgeBase, tracker: Tracker) -> Outcome:
        from actions.coach import resume_offer  # the coach builds on this module

        with kb.session() as session:
            replies, events = self.respond(kb, session, tracker)
            if self.offers_guide_resume and replies and not self.asks_question(replies):
                replies = replies + resume_offer(session, tracker)
            return replies, events

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        replies, events = await asyncio.to_thread(self._respond, knowledge_base(), tracker)
        for reply in replies:
            dispatcher.utter_message(response=reply.response, buttons=reply.buttons, **reply.variables)
        return events
