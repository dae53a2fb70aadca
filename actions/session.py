"""action_session_start: a new session keeps the slots, and offers to continue an unfinished coach.

Rasa runs it when a conversation starts and when the same sender comes back after
`session_expiration_time`. Like Rasa's own action it starts the session and carries the slots over (when
`carry_over_slots_to_new_session` is on); if the citizen left the online-submission coach half-way, the coach
is paused and the bot says where they stopped, with buttons to continue or to drop it.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Outcome, Reply, language
from actions.coach import PAUSED, position_variables, state_of
from actions.kb import KnowledgeBase, knowledge_base

# Rasa's own slot for the metadata of the session start: never carried over.
SESSION_METADATA_SLOT = "session_started_metadata"


def session_start_outcome(kb: KnowledgeBase, tracker: Tracker, carry_over_slots: bool) -> Outcome:
    """SessionStarted, the slots carried over, and the welcome back when a coach was left half-way."""
    if not carry_over_slots:
        return [], [SessionStarted(), ActionExecuted("action_listen")]
    slots = {
        name: value
        for name, value in (tracker.slots or {}).items()
        if value is not None and name != SESSION_METADATA_SLOT
    }
    replies = []
    state = state_of(tracker)
    if state is not None:
        slots["guide_status"] = PAUSED  # they left; they choose whether to go on
        with kb.session() as session:
            replies.append(Reply("utter_guide_welcome_back", position_variables(session, state, language(tracker))))
    events: List[EventType] = [SessionStarted()] + [SlotSet(name, value) for name, value in slots.items()]
    return replies, events + [ActionExecuted("action_listen")]


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        config = (domain or {}).get("session_config") or {}
        carry = bool(config.get("carry_over_slots_to_new_session", True))
        replies, events = await asyncio.to_thread(session_start_outcome, knowledge_base(), tracker, carry)
        for reply in replies:
            dispatcher.utter_message(response=reply.response, buttons=reply.buttons, **reply.variables)
        return events
