"""`action_detect_language`: keep the `language` slot in step with what the citizen writes.

The slot's custom mapping names it, so Rasa runs it (action_extract_slots) on every user message before the
answering action, and the answer's Vietnamese or English variation is chosen in the same turn. A message
whose language is unclear ("ok", a button) follows the language picked in the chat widget (the message's
metadata) or, without one, keeps the language already in use. Started through
`bot.rasa_server`, Rasa runs the same rule (`knowledge.text.language_change`) in-process instead of calling
this action over HTTP; this action serves a plain `rasa run`.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.text import language_change


class ActionDetectLanguage(Action):
    def name(self) -> Text:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        latest = tracker.latest_message or {}
        chosen = (latest.get("metadata") or {}).get("language")  # picked in the chat widget
        language = language_change(latest.get("text") or "", tracker.get_slot("language"), chosen)
        return [SlotSet("language", language)] if language else []
