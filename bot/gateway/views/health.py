"""GET /healthz: is the gateway up, do Rasa and the action server answer, can the knowledge base be read?

The database check reads one row of a table (`SELECT 1` alone would not touch a locked SQLite file) with a short
timeout: a busy timeout of DB_PROBE_TIMEOUT_SECONDS on SQLite (the probe's connection is then dropped, so no other
session keeps it), a statement timeout on PostgreSQL, and the same bound on the whole check.

Under `python -m bot.stack` (STACK_STATE_FILE set) the report also says what the supervisor knows: its state and
how many times it restarted each process.
"""
from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import sqlalchemy as sa
from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.gateway.keys import DB_SESSIONS, RASA_HTTP, SETTINGS
from bot.gateway.rasa_client import answers
from knowledge.models import Procedure

log = logging.getLogger(__name__)

DB_PROBE_TIMEOUT_SECONDS = 1


def read_database(sessions: sessionmaker) -> None:
    """Read one row of the procedures table; raises when the knowledge base cannot be read within the timeout."""
    with sessions() as session:
        engine = session.get_bind()
    with engine.connect() as connection:
        dialect = connection.dialect.name
        try:
            if dialect == "sqlite":
                connection.exec_driver_sql("PRAGMA busy_timeout = 1000")  # DB_PROBE_TIMEOUT_SECONDS
            elif dialect == "postgresql":
                connection.exec_driver_sql("SET LOCAL statement_timeout = 1000")  # this transaction only
            connection.execute(sa.select(Procedure.id).limit(1)).first()
        finally:
            if dialect == "sqlite":
                connection.invalidate()  # its short busy timeout goes with it, to no other session


async def database_answers(sessions: sessionmaker) -> bool:
    try:
        await asyncio.wait_for(asyncio.to_thread(read_database, sessions), timeout=DB_PROBE_TIMEOUT_SECONDS + 1)
    except (sa.exc.SQLAlchemyError, asyncio.TimeoutError) as error:
        log.warning("health: the knowledge base cannot be read: %s", getattr(error, "orig", None) or error)
        return False
    return True


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
    rasa_ok, actions_ok, database_ok = await asyncio.gather(
        answers(http, settings.rasa_url.rstrip("/") + "/"),
        answers(http, settings.action_server_url.rstrip("/") + "/health"),
        database_answers(request.app[DB_SESSIONS]),
    )
    report = {
        "gateway": "ok",
        "rasa": "ok" if rasa_ok else "down",
        "actions": "ok" if actions_ok else "down",
        "database": "ok" if database_ok else "down",
    }
    stack = stack_report(settings.stack_state_file)
    if stack is not None:
        report["stack"] = stack
    return web.json_response(report, status=200 if rasa_ok and actions_ok and database_ok else 503)
