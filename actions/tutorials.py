"""action_tutorial: a stand-alone tutorial (VNeID account, forgotten password, portal login, online payment,
looking up an application, photographing papers), from the knowledge base.

The tutorial is the `tutorial` entity (a button sends its slug; DIET maps what citizens say to it through
synonyms), else the tutorial whose keywords the message contains. When neither names one, the bot lists
them as buttons. Texts may name {portal_url}, {city_hotline} and {national_hotline} (from the settings).
"""
from __future__ import annotations

import json

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from knowledge.guides import fill, find_tutorial, get_guide, list_tutorials

from actions import formatting as fmt
from actions.base import KnowledgeAction, Outcome, Reply, contact_variables, language
from actions.kb import KnowledgeBase
from actions.resolve import entity_values, message_text


def tutorial_payload(slug: str) -> str:
    return "/ask_tutorial" + json.dumps({"tutorial": slug}, separators=(",", ":"))


class ActionTutorial(KnowledgeAction):
    def name(self) -> str:
        return "action_tutorial"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        lang = language(tracker)
        tutorials = list_tutorials(session, lang)
        guide = None
        for slug in entity_values(tracker, "tutorial"):
            guide = get_guide(session, slug, lang)
            if guide is not None:
                break
        if guide is None:
            guide = find_tutorial(tutorials, message_text(tracker))
        if guide is None:
            buttons = [{"title": t.title, "payload": tutorial_payload(t.slug)} for t in tutorials]
            return [Reply("utter_tutorial_choose", {}, buttons)], []
        values = {"portal_url": kb.settings.national_portal_url, **contact_variables(kb.settings)}
        lines = [
            fmt.label("tutorial.step", lang, number=n, title=fill(step.title, values), body=fill(step.body, values))
            for n, step in enumerate(guide.steps, start=1)
        ]
        variables = {
            "tutorial_title": fill(guide.title, values),
            "tutorial_summary": fill(guide.summary, values),
            "tutorial_steps": "\n".join(lines),
            **contact_variables(kb.settings),
        }
        return [Reply("utter_tutorial", variables)], []
