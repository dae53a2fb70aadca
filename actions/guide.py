"""The online-submission coach's actions: start, next, stuck, stop, resume.

- action_guide_start ("hướng dẫn tôi nộp online", or the button under the online/overview answers): finds the
  procedure like every answer does; no office in Huế receives it (actions/offices.py) → the city does not
  handle it; no online channel →
  says so and gives the in-person answer instead; otherwise fixes the steps that apply (no fee → no payment
  step) and shows "Bước 1/N".
- action_guide_next ("Xong, tiếp theo"), action_guide_stuck ("Tôi gặp khó khăn": tips, a tutorial, who to
  call), action_guide_stop ("Dừng lại": pause; a second stop forgets the coach), action_guide_resume
  (back to the step where the citizen was).
The state and texts are in actions.coach.
"""
from __future__ import annotations

import json
from dataclasses import replace

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from knowledge import repository

from actions import formatting as fmt
from actions.base import KnowledgeAction, Outcome, Reply, contact_variables, focus_events, language, not_found
from actions.coach import (
    ACTIVE,
    PAUSED,
    CoachState,
    applicable_keys,
    help_reply,
    online_channel,
    position_variables,
    state_events,
    state_of,
    step_reply,
)
from actions.kb import KnowledgeBase
from actions.offices import receiving_places
from actions.procedure_answers import answer_outcome
from actions.resolve import resolve


def start_payload(code: str) -> str:
    return "/start_guide" + json.dumps({"procedure_code": code}, separators=(",", ":"))


class CoachAction(KnowledgeAction):
    """A coach action: it says where the citizen is itself, so no separate resume offer."""

    offers_guide_resume = False


class ActionGuideStart(CoachAction):
    def name(self) -> str:
        return "action_guide_start"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        resolution = resolve(tracker, kb.index(session))
        current = state_of(tracker)
        if resolution.source == "button" and current is not None and current.code == resolution.code:
            # A start button of an earlier answer never sends the coach back: it goes on where it is.
            return ActionGuideResume().respond(kb, session, tracker)
        if not resolution.code:
            if resolution.candidates:
                buttons = [{"title": c.name, "payload": start_payload(c.code)} for c in resolution.candidates]
                return [Reply("utter_choose_procedure", {}, buttons)], []
            if resolution.named_by:
                return [not_found(kb.settings)], []
            return [Reply("utter_guide_ask_procedure")], []
        procedure = repository.get_procedure(session, resolution.code)
        if procedure is None:
            return [not_found(kb.settings)], []
        lang = language(tracker)
        basics = {"procedure_name": procedure.name, "procedure_code": procedure.code}
        focus = focus_events(tracker, procedure.code)
        if receiving_places(procedure).outside:
            handled_by = fmt.handled_by(procedure, lang)
            return [Reply("utter_guide_ministry", {**basics, "handled_by": handled_by})], focus
        if online_channel(procedure) is None:
            where, events = answer_outcome("where", procedure.code, session, kb.settings, tracker)
            return [Reply("utter_guide_not_online", basics)] + where, events
        keys = applicable_keys(session, procedure)
        if not keys:  # the knowledge base has no coach guide (not seeded)
            return [Reply("utter_guide_unavailable", contact_variables(kb.settings))], focus
        state = CoachState(procedure.code, tuple(keys), keys[0], ACTIVE)
        intro = "utter_guide_intro" if procedure.full_online else "utter_guide_intro_partial"
        replies = [Reply(intro, {**basics, "step_total": state.total})]
        replies += step_reply(session, state, tracker, kb.settings, lang)
        return replies, focus + state_events(tracker, state)


class ActionGuideNext(CoachAction):
    def name(self) -> str:
        return "action_guide_next"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        state = state_of(tracker)
        if state is None:
            return [Reply("utter_guide_none")], []
        lang = language(tracker)
        if state.number == state.total:
            finished = Reply("utter_guide_finished", position_variables(session, state, lang))
            return [finished], state_events(tracker, None)
        following = replace(state, current=state.steps[state.number], status=ACTIVE)
        replies = step_reply(session, following, tracker, kb.settings, lang)
        if not replies:  # the procedure or the guide was removed meanwhile
            return [Reply("utter_guide_unavailable", contact_variables(kb.settings))], state_events(tracker, None)
        return replies, state_events(tracker, following)


class ActionGuideStuck(CoachAction):
    def name(self) -> str:
        return "action_guide_stuck"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        state = state_of(tracker)
        if state is None:
            return [Reply("utter_guide_none")], []
        active = replace(state, status=ACTIVE)
        return [help_reply(session, active, tracker, kb.settings, language(tracker))], state_events(tracker, active)


class ActionGuideStop(CoachAction):
    def name(self) -> str:
        return "action_guide_stop"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        state = state_of(tracker)
        if state is None:
            return [Reply("utter_guide_none")], []
        variables = position_variables(session, state, language(tracker))
        if state.status == ACTIVE:
            paused = replace(state, status=PAUSED)
            return [Reply("utter_guide_paused", variables)], state_events(tracker, paused)
        return [Reply("utter_guide_forgotten", variables)], state_events(tracker, None)


class ActionGuideResume(CoachAction):
    def name(self) -> str:
        return "action_guide_resume"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        state = state_of(tracker)
        if state is None:
            return [Reply("utter_guide_none")], []
        active = replace(state, status=ACTIVE)
        replies = step_reply(session, active, tracker, kb.settings, language(tracker))
        if not replies:
            return [Reply("utter_guide_unavailable", contact_variables(kb.settings))], state_events(tracker, None)
        return replies, state_events(tracker, active)


class ActionAffirm(ActionGuideNext):
    """"ok", "rồi", "dạ": during the coach it is a confirmation and the coach moves on; otherwise the bot
    asks what else it can help with."""

    def name(self) -> str:
        return "action_affirm"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        state = state_of(tracker)
        if state is None or state.status != ACTIVE:
            return [Reply("utter_ask_more")], []
        return super().respond(kb, session, tracker)
