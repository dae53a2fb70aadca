"""Where to apply: the office in Huế that receives a procedure's file, and the ward service points.

`receiving_places(procedure)` reads who receives and handles the file (the record's executing agencies,
`Procedure.receiving_agency`; else its level) and maps each agency to Huế's real offices with the table in
knowledge/data/offices.yml ("receiving_offices"): the citizen's ward/commune service point or police, an
office of the city by name, or a ministry-level agency (then nobody in Huế receives the file). Only names come
from that table; addresses, hours and phones only from the Office rows that know them (empty stays empty).

action_ward_office answers "where is my ward's office?": the ward comes from the `ward` entity of this message,
else the `ward` slot.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy.orm import Session

from knowledge import repository
from knowledge.models import Procedure, Ward
from knowledge.settings import Settings
from knowledge.text import fold, load_data

from actions.base import KnowledgeAction, Outcome, Reply, contact_variables, language
from actions.formatting import label, office_details
from actions.kb import KnowledgeBase
from actions.resolve import entity_values

LOCAL_KINDS = ("ward", "ward_police", "city")
CITY_CENTRE = "Trung tâm Phục vụ hành chính công thành phố Huế"


@dataclass(frozen=True)
class Place:
    """Where a citizen takes the file: `kind` as in offices.yml, the office's `name` ("" for a ward's, which
    depends on the citizen's ward), and a `note` ({vi, en}) from the table."""

    kind: str
    name: str = ""
    note: Tuple[Tuple[str, str], ...] = ()

    def note_in(self, lang: str) -> str:
        return dict(self.note).get(lang) or dict(self.note).get("vi", "")


@dataclass(frozen=True)
class Receiving:
    """Who receives a procedure's file in Huế."""

    places: Tuple[Place, ...]  # offices in Huế, in the record's order, without repeats
    agencies: str  # the record's text they come from ("" when only the level was known)
    outside: bool  # no office in Huế receives it: every agency is ministry-level or elsewhere
    levels: str = ""  # the levels the record is published for, when only they were known

    @property
    def ward_level(self) -> bool:
        return any(place.kind in ("ward", "ward_police") for place in self.places)


@functools.lru_cache(maxsize=1)
def _table() -> dict:
    data = load_data("offices.yml")
    heads = sorted((fold(h) for h in data["agency_heads"]), key=len, reverse=True)
    entries = [
        (re.compile(entry["match"]), re.compile(entry["procedure"]) if entry.get("procedure") else None,
         entry["places"])
        for entry in data["receiving_offices"]
    ]  # fmt: skip
    return {"heads": tuple(heads), "entries": entries, "ward_police_name": data["ward_police_name"]}


def agencies_of(text: str) -> List[str]:
    """The agencies a record's text names, split on commas where a new agency starts ("Sở Văn hóa, Thể thao
    và Du lịch" stays one; "Công an cấp Xã, Công an tỉnh" is two)."""
    parts: List[str] = []
    for piece in (p.strip(" .;") for p in " ".join(str(text or "").split()).split(",")):
        if not piece:
            continue
        folded = fold(piece)
        if parts and not any(folded == h or folded.startswith(h + " ") for h in _table()["heads"]):
            parts[-1] = f"{parts[-1]}, {piece}"
        else:
            parts.append(piece)
    return parts


def places_for(agency: str, procedure_name: str) -> Tuple[Place, ...]:
    """The places the table gives for one agency of a procedure; () when it names none."""
    folded, name = fold(agency), fold(procedure_name)
    for match, procedure, places in _table()["entries"]:
        if match.search(folded) and (procedure is None or procedure.search(name)):
            return tuple(
                Place(
                    place["kind"],
                    (place.get("name") or "").format(agency=agency),
                    tuple((k, v.format(agency=agency)) for k, v in (place.get("note") or {}).items()),
                )
                for place in places
            )
    return ()


def receiving_places(procedure: Procedure) -> Receiving:
    """Where the file of `procedure` goes in Huế: from who receives it, else from who decides, else its level."""
    text = (procedure.receiving_agency or "").strip()
    if not text and procedure.level in ("ward", "city"):
        kind = "ward" if procedure.level == "ward" else "city"
        levels = ", ".join(procedure.levels_published or [])
        return Receiving((Place(kind, CITY_CENTRE if kind == "city" else ""),), "", False, levels)
    text = " ".join((text or procedure.agency or "").split())
    found: List[Place] = []
    unmatched = False
    for agency in agencies_of(text):
        places = places_for(agency, procedure.name)
        unmatched = unmatched or not places
        found += [p for p in places if p not in found]
    local = tuple(p for p in found if p.kind in LOCAL_KINDS)
    outside = not local and not unmatched and bool(found) or (not text and procedure.level == "ministry")
    return Receiving(local, text, outside)


def ward_of(session: Session, tracker: Tracker) -> Optional[Ward]:
    text = ward_text(tracker)
    return repository.find_ward(session, text) if text else None


def place_name(place: Place, ward: Optional[Ward], session: Session, lang: str) -> str:
    """The office's name; for a ward's, the named ward's office when the ward is known."""
    if place.kind == "ward_police":
        if ward is None:
            return label("where.ward_police", lang)
        return _table()["ward_police_name"].format(ward=ward.name[:1].lower() + ward.name[1:])
    if place.kind == "ward":
        if ward is None:
            return label("where.ward_point", lang)
        office = repository.get_office(session, ward.code)
        return (office.name.strip() if office is not None and office.name else "") or label(
            "office.default_name", lang, ward_name=ward.name
        )
    return place.name


def places_text(receiving: Receiving, ward: Optional[Ward], session: Session, lang: str) -> str:
    """A bullet per office, with its note, and the record's words they come from."""
    lines = []
    for place in receiving.places:
        note = place.note_in(lang)
        name = place_name(place, ward, session, lang)
        lines.append(f"{name} — {note}" if note else name)
    bullet = label("bullet", lang)
    text = "\n".join(bullet + line for line in dict.fromkeys(lines))
    if receiving.agencies:
        return text + "\n" + label("where.record", lang, agencies=receiving.agencies)
    return text + "\n" + label("where.record_level", lang, levels=receiving.levels or label("unknown", lang))


# ---------------------------------------------------------------- ward service points
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
