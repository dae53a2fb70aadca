"""action_detect_language sets the language slot from the citizen's own words, before the answer."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionDetectLanguage


def tracker_for(text: str, current: str = "vi") -> Tracker:
    return Tracker(
        sender_id="t",
        slots={"language": current},
        latest_message={"text": text, "intent": {"name": "ask_documents"}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("What documents do I need for marriage registration?", "vi", [SlotSet("language", "en")]),
        ("làm giấy khai sinh cần giấy tờ gì", "en", [SlotSet("language", "vi")]),
        ("lam giay khai sinh can giay to gi", "en", [SlotSet("language", "vi")]),
        ("How much is the fee?", "en", []),  # already English: nothing to change
        ("/ask_fee", "en", []),  # a button keeps the language in use
    ],
)
async def test_language_follows_the_citizen(text, current, expected):
    dispatcher = CollectingDispatcher()
    events = await ActionDetectLanguage().run(dispatcher, tracker_for(text, current), {})
    assert events == expected
    assert dispatcher.messages == []
