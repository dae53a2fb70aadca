"""action_checklist: the citizen's own list of papers for a procedure, and a printable page of it.

"Tôi cần chuẩn bị những giấy tờ gì cho trường hợp của tôi?" (intent ask_checklist) finds the procedure
like every answer, then asks only the questions of the procedure's checklist (knowledge base, table `checklists`),
one at a time, as buttons that send `/checklist_answer{"checklist_answer": "<question>:<value>"}`. With every
question answered, it lists the papers that apply and links to the printable page
`/checklist/<code>?<answers>` of the gateway. A procedure without a checklist gets its whole list.
"""
from __future__ import annotations

import json
from typing import Dict, List
from urllib.parse import quote, urlencode

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from sqlalchemy.orm import Session

from knowledge import repository
from knowledge.checklists import (
    ChecklistItem,
    checklist_items,
    get_checklist,
    next_question,
    option_label,
    valid_answers,
)
from knowledge.settings import Settings

from actions import formatting as fmt
from actions.base import KnowledgeAction, Outcome, Reply, focus_events, language, not_found
from actions.documents import document_line
from actions.kb import KnowledgeBase
from actions.resolve import entity_values, resolve


def answer_payload(question: str, value: str) -> str:
    return "/checklist_answer" + json.dumps({"checklist_answer": f"{question}:{value}"}, separators=(",", ":"))


def ask_payload(code: str) -> str:
    return "/ask_checklist" + json.dumps({"procedure_code": code}, separators=(",", ":"))


def checklist_url(settings: Settings, code: str, answers: Dict[str, str], lang: str) -> str:
    query = urlencode({**answers, "lang": lang})
    return f"{settings.public_url.rstrip('/')}/checklist/{quote(code)}?{query}"


def item_line(item: ChecklistItem, lang: str) -> str:
    document = item.document
    line = document_line(document, lang) if document is not None else item.text
    if document is not None and item.text != document.name.strip():  # a shorter name from the checklist
        line = line.replace(document.name.strip(), item.text, 1)
    if item.case:
        line += " — " + fmt.label("checklist.case", lang, case=item.case)
    return line


def checklist_text(items: List[ChecklistItem], lang: str) -> str:
    """Papers to hand in, then papers to show; the published notes are on the printable page."""
    parts = []
    for heading, kind in (("documents.submit_heading", "submit"), ("documents.present_heading", "present")):
        lines = [item_line(item, lang) for item in items if item.kind == kind]
        if lines:
            parts += [fmt.label(heading, lang), fmt.bullets(lines)]
    return "\n".join(parts)


class ActionChecklist(KnowledgeAction):
    def name(self) -> str:
        return "action_checklist"

    def respond(self, kb: KnowledgeBase, session: Session, tracker: Tracker) -> Outcome:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        answers: Dict[str, str] = {}
        code = tracker.get_slot("checklist_procedure") if intent == "checklist_answer" else None
        if code:
            answers = dict(tracker.get_slot("checklist_answers") or {})
            for value in entity_values(tracker, "checklist_answer"):
                question, _, option = value.partition(":")
                answers[question] = option
        else:
            resolution = resolve(tracker, kb.index(session))
            if not resolution.code:
                if resolution.candidates:
                    buttons = [{"title": c.name, "payload": ask_payload(c.code)} for c in resolution.candidates]
                    return [Reply("utter_choose_procedure", {}, buttons)], []
                if resolution.named_by:
                    return [not_found(kb.settings)], []
                return [Reply("utter_checklist_ask_procedure")], []
            code = resolution.code
        procedure = repository.get_procedure(session, str(code))
        if procedure is None:
            return [not_found(kb.settings)], []
        lang = language(tracker)
        checklist = get_checklist(session, procedure.code)
        answers = valid_answers(checklist, answers)
        events: List[EventType] = focus_events(tracker, procedure.code)
        events += [SlotSet("checklist_procedure", procedure.code), SlotSet("checklist_answers", answers)]
        basics = {"procedure_name": procedure.name, "procedure_code": procedure.code}
        question = next_question(checklist, answers)
        if question is not None:
            buttons = [
                {
                    "title": option_label(question, option["value"], lang),
                    "payload": answer_payload(question["key"], option["value"]),
                }
                for option in question["options"]
            ]
            text = question["text"].get(lang) or question["text"]["vi"]
            return [Reply("utter_checklist_question", {**basics, "question": text}, buttons)], events
        items = checklist_items(checklist, procedure.documents, answers, lang)
        if not any(item.kind in ("submit", "present") for item in items):
            official_url = fmt.official_link(procedure, kb.settings.national_portal_url)
            return [Reply("utter_documents_unknown", {**basics, "official_url": official_url})], events
        variables = {
            **basics,
            "checklist": checklist_text(items, lang),
            "checklist_url": checklist_url(kb.settings, procedure.code, answers, lang),
        }
        return [Reply("utter_checklist", variables)], events
