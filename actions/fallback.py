"""action_fallback: for nlu_fallback and out_of_scope.

The whole message is searched: if a procedure fits confidently, its overview is given (the intent was
unclear, the procedure was not). Otherwise the bot says plainly that it does not know and points to the
national portal and the hotlines. It never offers a guess.
"""
from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.base import KnowledgeAction, Outcome, Reply, contact_variables, not_found
from actions.kb import KnowledgeBase
from actions.procedure_answers import answer_outcome
from actions.resolve import entity_values, is_confident, message_text


class ActionFallback(KnowledgeAction):
    def name(self) -> str:
        return "action_fallback"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        index = kb.index(session)
        for query in entity_values(tracker, "procedure") + [message_text(tracker)]:
            candidates = index.search(query) if query else []
            if is_confident(candidates):
                return answer_outcome("overview", candidates[0].code, session, kb.settings, tracker)
        if tracker.latest_message.get("intent", {}).get("name") == "out_of_scope":
            return [Reply("utter_out_of_scope", contact_variables(kb.settings))], []
        return [not_found(kb.settings)], []
