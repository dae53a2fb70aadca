"""The cached action-response validation accepts and rejects exactly what Rasa's own does."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import apply, cached_validation

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
    apply()
    assert RemoteAction._validate_action_result is cached_validation
