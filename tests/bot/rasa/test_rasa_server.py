"""The fixes `bot.rasa.rasa_server` applies to Rasa behave exactly as the code they replace."""
import gc

import pytest
import rasa.core.run
from jsonschema import ValidationError
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.rasa_server import (
    api_guard,
    apply,
    cached_validation,
    freeze_after_load,
    guarded,
    in_process_slot_actions,
    language_slot_events,
)

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


def _tracker(text: str, language: str | None, chosen: str | None = None) -> DialogueStateTracker:
    slot = TextSlot("language", mappings=[{"type": "custom", "action": "action_detect_language"}])
    tracker = DialogueStateTracker.from_events("citizen", [ActionExecuted("action_listen")], slots=[slot])
    if language:
        tracker.update(SlotSet("language", language))
    metadata = {"language": chosen} if chosen else None
    tracker.update(UserUttered(text, {"name": "ask_documents"}, metadata=metadata))
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


@pytest.mark.parametrize(
    "text, current, chosen, expected",
    [
        ("/ask_fee", "vi", "en", [SlotSet("language", "en")]),  # a button, English chosen in the widget
        ("ok", "en", "vi", [SlotSet("language", "vi")]),  # unclear text follows the widget
        ("/ask_fee", "en", "en", []),
        ("lam giay khai sinh can giay to gi", "en", "en", [SlotSet("language", "vi")]),  # clear text decides
        ("/ask_fee", "vi", "fr", []),  # not a language the bot speaks
    ],
)
def test_the_language_chosen_in_the_widget_decides_when_the_message_does_not(text, current, chosen, expected):
    assert language_slot_events(_tracker(text, current, chosen)) == expected


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


class _Request:
    """What the API guard reads of a Sanic request."""

    def __init__(self, method: str, path: str, token: str | None = None):
        self.method, self.path = method, path
        self.args = {"token": token} if token is not None else {}


@pytest.mark.parametrize(
    "method, path, token, status",
    [
        ("GET", "/", None, None),  # the greeting /healthz probes
        ("POST", "/webhooks/rest/webhook", "s3cret", None),
        ("POST", "/model/parse", "s3cret", None),
        ("GET", "/conversations/web-abc/tracker", "s3cret", None),
        ("GET", "/status", "s3cret", None),
        ("PUT", "/model", "s3cret", None),  # the admin's retraining swaps the model
        ("PUT", "/model", None, 401),
        ("PUT", "/model", "wrong", 401),
        ("POST", "/webhooks/rest/webhook", None, 401),  # Rasa itself would not check the channel
        ("POST", "/model/parse", None, 401),
        ("GET", "/conversations/web-abc/tracker", "wrong", 401),
        ("GET", "/status", "ngắn", 401),
        ("PUT", "/conversations/web-abc/tracker/events", "s3cret", 404),  # changing a conversation
        ("POST", "/conversations/web-abc/tracker/events", "s3cret", 404),
        ("POST", "/conversations/web-abc/messages", "s3cret", 404),
        ("POST", "/conversations/web-abc/execute", "s3cret", 404),
        ("POST", "/model/train", "s3cret", 404),
        ("DELETE", "/model", "s3cret", 404),
        ("GET", "/domain", "s3cret", 404),
        ("GET", "/conversations/a/b/tracker", "s3cret", 404),
    ],
)
async def test_only_the_routes_in_use_are_open_and_only_with_the_token(method, path, token, status):
    response = await api_guard("s3cret")(_Request(method, path, token))
    assert (response.status if response is not None else None) == status


def test_the_guard_is_registered_on_the_app_rasa_builds():
    registered = []

    class App:
        def register_middleware(self, middleware, attach_to):
            registered.append(attach_to)

    def configure_app(*args, **kwargs):
        return App()

    app = guarded(configure_app, "s3cret")(enable_api=True)
    assert isinstance(app, App) and registered == ["request"]
