"""GET /healthz: is the gateway up, and do Rasa and the action server answer?

Under `python -m bot.stack` (STACK_STATE_FILE set) the report also says what the supervisor knows: its state and
how many times it restarted each process.
"""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp import web

from bot.gateway.keys import RASA_HTTP, SETTINGS
from bot.gateway.rasa_client import answers


def stack_report(state_file: str) -> dict | None:
    """{"state", "restarts": {process: n}} from the supervisor's state file; None when not supervised."""
    if not state_file:
        return None
    try:
        state = json.loads(Path(state_file).read_text(encoding="utf-8"))
        processes = state["processes"]
        return {
            "state": str(state["state"]),
            "restarts": {name: int(process["restarts"]) for name, process in processes.items()},
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {"state": "unknown", "restarts": {}}


async def healthz(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    http = request.app[RASA_HTTP]
    # Rasa's "/" says "Hello from Rasa" without a token (its /status needs one).
    rasa_ok, actions_ok = await asyncio.gather(
        answers(http, settings.rasa_url.rstrip("/") + "/"),
        answers(http, settings.action_server_url.rstrip("/") + "/health"),
    )
    report = {
        "gateway": "ok",
        "rasa": "ok" if rasa_ok else "down",
        "actions": "ok" if actions_ok else "down",
    }
    stack = stack_report(settings.stack_state_file)
    if stack is not None:
        report["stack"] = stack
    return web.json_response(report, status=200 if rasa_ok and actions_ok else 503)
