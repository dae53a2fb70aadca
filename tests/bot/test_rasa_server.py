"""The fixes `bot.rasa_server` applies to Rasa behave exactly as the code they replace."""
import gc

import pytest
import rasa.core.run
from jsonschema import ValidationError
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server import apply, cached_validation, freeze_after_load, in_process_slot_actions, language_slot_events

VALID = {
    "events": [{"event": "slot", "name": "language", "value": "en", "timestamp": None}],
    "responses": [{"response": "utter_fee", "procedure_code": "1.001193"}],
}
INVALID = [
    {"events": "not a list", "responses": []},
    {"events": [{"event": "slot"}], "responses": []},  # a slot event without its name
    {"events": [], "responses": ["not an object"]},
]


def test_valid_response_passes_both_ways():
    action = RemoteAction("action_answer_fee", None)
    assert RemoteAction._validate_action_result(action, VALID)
    assert cached_validation(action, VALID)


@pytest.mark.parametrize("response", INVALID)
def test_invalid_responses_are_refused_with_the_same_error(response):
    action = RemoteAction("action_answer_fee", None)
    with pytest.raises(ValidationError) as original:
        RemoteAction._validate_action_result(action, response)
    with pytest.raises(ValidationError) as cached:
        cached_validation(action, response)
    assert cached.value.message == original.value.message


def test_apply_replaces_the_validation(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(ActionExtractSlots, "_run_custom_action", ActionExtractSlots._run_custom_action)
    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", rasa.core.run.load_agent_on_start)
    original_extract = ActionExtractSlots._run_custom_action
    apply()
    assert RemoteAction._validate_action_result is cached_validation
    assert ActionExtractSlots._run_custom_action.__wrapped__ is original_extract
    assert rasa.core.run.load_agent_on_start.__wrapped__ is not None


def _tracker(text: str, language: str | None) -> DialogueStateTracker:
    slot = TextSlot("language", mappings=[{"type": "custom", "action": "action_detect_language"}])
    tracker = DialogueStateTracker.from_events("citizen", [ActionExecuted("action_listen")], slots=[slot])
    if language:
        tracker.update(SlotSet("language", language))
    tracker.update(UserUttered(text, {"name": "ask_documents"}))
    return tracker


@pytest.mark.parametrize(
    "text, current, expected",
    [
        ("What documents do I need for marriage registration?", "vi", [SlotSet("language", "en")]),
        ("lam giay khai sinh can giay to gi", "en", [SlotSet("language", "vi")]),
        ("làm giấy khai sinh cần giấy tờ gì", "vi", []),  # already Vietnamese
        ("ok", "en", []),  # unclear: keep English
        ('/choose_procedure{"procedure_code": "1.001193"}', "en", []),  # a button
    ],
)
def test_language_slot_is_set_in_process_as_the_action_would(text, current, expected):
    assert language_slot_events(_tracker(text, current)) == expected


async def test_only_the_language_mapping_runs_in_process():
    calls = []

    async def remote(self, custom_action, output_channel, nlg, tracker, domain):
        calls.append(custom_action)
        return [SlotSet("other", "from the action server")]

    run = in_process_slot_actions(remote)
    tracker = _tracker("how much is the fee", "vi")
    assert await run(None, "action_detect_language", None, None, tracker, None) == [SlotSet("language", "en")]
    assert calls == []
    assert await run(None, "action_other_mapping", None, None, tracker, None) == [
        SlotSet("other", "from the action server")
    ]
    assert calls == ["action_other_mapping"]


async def test_objects_alive_after_the_model_loads_are_frozen():
    loaded_model = [object() for _ in range(1000)]

    async def load_agent(*args):
        return loaded_model

    gc.unfreeze()
    try:
        assert await freeze_after_load(load_agent)("model.tar.gz") is loaded_model
        assert gc.get_freeze_count() >= len(loaded_model)
    finally:
        gc.unfreeze()
