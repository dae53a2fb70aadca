"""`python -m bot.rasa_server run …`: Rasa's own command line, with measured fixes applied first.

Each fix comes from profiling the Rasa process under load (bench/README.md "Speed"):

1. Action-response validation with a validator built once (below).
2. The `language` slot's custom mapping runs in-process: the same rule as `action_detect_language`
   (`knowledge.text.language_change`) without sending the whole tracker to the action server on every turn.
3. Once the model is loaded, `gc.freeze()`: the model's millions of objects leave the collector's view, and
   full collections no longer stall every conversation in flight for 0.3–0.6 s.

Rasa 3.6 checks every action-server response with `jsonschema.validate(result, schema)`, which re-checks the
schema itself against its meta-schema on every call. Profiling the Rasa process under load (py-spy, see
bench/README.md "Speed") put 65 % of its CPU time there: two action calls a turn (the language slot mapping and
the answer). `cached_validation` validates against the same schema with a validator built once, and reports
errors exactly as `jsonschema.validate` does (`best_match` of all errors), with Rasa's own hint appended.
"""
from __future__ import annotations

import functools
import gc
import sys
from typing import Any, Dict


@functools.lru_cache(maxsize=None)
def _response_validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def cached_validation(self, result: Dict[str, Any]) -> bool:
    """Drop-in for `RemoteAction._validate_action_result`."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def language_slot_events(tracker) -> list:
    """What `action_detect_language` would return for this tracker, computed here."""
    from rasa.shared.core.events import SlotSet

    from knowledge.text import language_change

    text = tracker.latest_message.text if tracker.latest_message else None
    language = language_change(text or "", tracker.get_slot("language"))
    return [SlotSet("language", language)] if language else []


IN_PROCESS_SLOT_ACTIONS = {"action_detect_language": language_slot_events}


def in_process_slot_actions(run_custom_action):
    """Wrap `ActionExtractSlots._run_custom_action`: the actions in IN_PROCESS_SLOT_ACTIONS run here."""

    @functools.wraps(run_custom_action)
    async def run(self, custom_action, output_channel, nlg, tracker, domain):
        local = IN_PROCESS_SLOT_ACTIONS.get(custom_action)
        if local is None:
            return await run_custom_action(self, custom_action, output_channel, nlg, tracker, domain)
        return local(tracker)

    return run


def freeze_after_load(load_agent):
    """Wrap Rasa's `load_agent_on_start`: once the model is loaded, move every object into the permanent GC generation."""

    @functools.wraps(load_agent)
    async def load_then_freeze(*args, **kwargs):
        loaded = await load_agent(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return loaded

    return load_then_freeze


def apply() -> None:
    import rasa.core.run
    from rasa.core.actions.action import ActionExtractSlots, RemoteAction

    RemoteAction._validate_action_result = cached_validation
    ActionExtractSlots._run_custom_action = in_process_slot_actions(ActionExtractSlots._run_custom_action)
    rasa.core.run.load_agent_on_start = freeze_after_load(rasa.core.run.load_agent_on_start)


def main() -> None:
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
