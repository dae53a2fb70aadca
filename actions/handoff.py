"""action_handoff: "are you a bot?" / "let me talk to a person": the bot says what it is and gives the hotlines
with their hours, every time (the review issue's call-back request will hang off this answer)."""
from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.base import KnowledgeAction, Outcome, Reply, contact_variables, language
from actions.kb import KnowledgeBase


class ActionHandoff(KnowledgeAction):
    def name(self) -> str:
        return "action_handoff"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        settings = kb.settings
        hours = settings.hotline_hours_en if language(tracker) == "en" else settings.hotline_hours
        return [Reply("utter_handoff", {**contact_variables(settings), "hotline_hours": hours})], []
