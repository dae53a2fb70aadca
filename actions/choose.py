"""action_choose_procedure: the citizen picked one of the offered procedures (a button).

The button sends `/choose_procedure{"procedure_code": "…"}`; the answer given is the one they asked for
before the choice (slot `pending_info`), or the overview.
"""
from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.base import KnowledgeAction, Outcome, Reply
from actions.kb import KnowledgeBase
from actions.procedure_answers import ANSWERS, answer_outcome
from actions.resolve import button_code


class ActionChooseProcedure(KnowledgeAction):
    def name(self) -> str:
        return "action_choose_procedure"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        code = button_code(tracker) or tracker.get_slot("procedure_code")
        if not code:
            return [Reply("utter_ask_which_procedure")], []
        pending = tracker.get_slot("pending_info")
        kind = pending if pending in ANSWERS else "overview"
        return answer_outcome(kind, str(code), session, kb.settings, tracker)
