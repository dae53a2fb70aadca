"""`python -m bot.rasa_server run …`: Rasa's own command line, with one measured fix applied first.

Rasa 3.6 checks every action-server response with `jsonschema.validate(result, schema)`, which re-checks the
schema itself against its meta-schema on every call. Profiling the Rasa process under load (py-spy, see
bench/README.md "Speed") put 65 % of its CPU time there: two action calls a turn (the language slot mapping and
the answer). `cached_validation` validates against the same schema with a validator built once, and reports
errors exactly as `jsonschema.validate` does (`best_match` of all errors), with Rasa's own hint appended.
"""
from __future__ import annotations

import functools
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


def apply() -> None:
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = cached_validation


def main() -> None:
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
