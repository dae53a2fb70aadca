"""Where a ward receives applications: action_ward_office, and the office replies answers reuse.

The ward comes from the `ward` entity of this message, else the `ward` slot. The ward's name is always
given; the address, hours and phone only when the knowledge base has them (empty stays empty).
"""
from __future__ import annotations

from typing import List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy.orm import Session

from knowledge import repository
from knowledge.settings import Settings

from actions.base import KnowledgeAction, Outcome, Reply, contact_variables, language
from actions.formatting import label, office_details
from actions.kb import KnowledgeBase
from actions.resolve import entity_values


def ward_text(tracker: Tracker) -> Optional[str]:
    """The ward named in this message, else the one remembered."""
    named = entity_values(tracker, "ward")
    if named:
        return named[0]
    remembered = tracker.get_slot("ward")
    return str(remembered).strip() if remembered else None


def ward_office_outcome(session: Session, text: str, lang: str, settings: Settings, tracker: Tracker) -> Outcome:
    """Replies for the service point of the ward called `text`; keeps the official name in the slot."""
    ward = repository.find_ward(session, text)
    if ward is None:
        events = [SlotSet("ward", None)] if tracker.get_slot("ward") is not None else []
        return [Reply("utter_ward_unknown", {"ward_text": text})], events
    office = repository.get_office(session, ward.code)
    office_name = (office.name.strip() if office is not None and office.name else "") or label(
        "office.default_name", lang, ward_name=ward.name
    )
    details = office_details(office, lang)
    variables = {"ward_name": ward.name, "office_name": office_name}
    if details:
        reply = Reply("utter_ward_office", {**variables, "office_details": details})
    else:
        reply = Reply("utter_ward_office_no_details", {**variables, **contact_variables(settings)})
    events = [SlotSet("ward", ward.name)] if tracker.get_slot("ward") != ward.name else []
    return [reply], events


def city_office_replies(session: Session, lang: str) -> List[Reply]:
    """The city's service point, only when the knowledge base knows where it is."""
    office = repository.get_office(session, None)
    details = office_details(office, lang)
    if office is None or not details:
        return []
    return [Reply("utter_city_office", {"office_name": office.name, "office_details": details})]


class ActionWardOffice(KnowledgeAction):
    def name(self) -> str:
        return "action_ward_office"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        text = ward_text(tracker)
        if not text:
            return [Reply("utter_ask_ward")], []
        return ward_office_outcome(session, text, language(tracker), kb.settings, tracker)
