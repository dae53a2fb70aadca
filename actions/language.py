"""`action_detect_language`: keep the `language` slot in step with what the citizen writes.

Rasa runs it through the slot's custom mapping (action_extract_slots) on every user message, before the
answering action, so the answer's Vietnamese or English variation is chosen in the same turn. A message
whose language is unclear ("ok", a button) keeps the language already in use.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.text import detect_language


class ActionDetectLanguage(Action):
    def name(self) -> Text:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if text.startswith("/"):
            return []
        detected = detect_language(text)
        if detected and detected != tracker.get_slot("language"):
            return [SlotSet("language", detected)]
        return []
