"""action_fallback: for nlu_fallback and out_of_scope.

Every message goes through the same choice as a procedure question (actions.resolve): a confident or single
plausible procedure is answered (its overview, or the parts the message asks), several plausible ones are
offered as choices, and only when nothing fits does the bot say plainly that it does not know and point to
the national portal and the hotlines.
"""
from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.base import KnowledgeAction, Outcome, Reply, choose_among, contact_variables, language
from actions.kb import KnowledgeBase
from actions.procedure_answers import answer_resolution, unanswered
from actions.resolve import asked_parts, message_text, resolve


class ActionFallback(KnowledgeAction):
    def name(self) -> str:
        return "action_fallback"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        resolution = resolve(tracker, kb.index(session), use_focus=False)
        if resolution.code:
            return answer_resolution("overview", resolution, kb, session, tracker)
        if resolution.candidates:
            return [choose_among(resolution.candidates, language(tracker))], []
        out_of_scope = tracker.latest_message.get("intent", {}).get("name") == "out_of_scope"
        if out_of_scope and not resolution.weak and "legal" not in asked_parts(message_text(tracker)):
            return [Reply("utter_out_of_scope", contact_variables(kb.settings))], []
        return unanswered(kb, session, tracker, resolution), []
