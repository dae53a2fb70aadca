"""GET /healthz: 200 only when Rasa and the action server both answer and the knowledge base can be read."""
from __future__ import annotations

import json
import time
from dataclasses import replace

from aiohttp.test_utils import unused_port

from bot.gateway.app import create_app


async def test_all_up(client):
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"gateway": "ok", "rasa": "ok", "actions": "ok", "database": "ok"}


async def test_rasa_down(aiohttp_client, test_settings):
    settings = replace(test_settings, rasa_url=f"http://127.0.0.1:{unused_port()}")
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/healthz")
    assert response.status == 503
    assert await response.json() == {"gateway": "ok", "rasa": "down", "actions": "ok", "database": "ok"}


async def test_action_server_down(aiohttp_client, test_settings):
    settings = replace(test_settings, action_server_url=f"http://127.0.0.1:{unused_port()}")
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/healthz")
    assert response.status == 503
    assert await response.json() == {"gateway": "ok", "rasa": "ok", "actions": "down", "database": "ok"}


async def test_a_server_answering_an_error_counts_as_down(aiohttp_client, test_settings, fake_rasa):
    # The fake has no /missing route: 404 is not "ok".
    settings = replace(test_settings, action_server_url=fake_rasa.url + "/missing")
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["actions"] == "down"


async def test_the_supervisors_state_and_restarts_are_reported(aiohttp_client, test_settings, tmp_path):
    state_file = tmp_path / "stack.json"
    state_file.write_text(json.dumps({
        "state": "running", "supervisor_pid": 1, "updated": "2026-01-01T00:00:00+00:00",
        "processes": {
            "actions": {"state": "running", "pid": 2, "restarts": 1, "last_exit_code": -9, "last_restart": "…"},
            "rasa": {"state": "running", "pid": 3, "restarts": 0, "last_exit_code": None, "last_restart": None},
        },
    }))  # fmt: skip
    client = await aiohttp_client(create_app(replace(test_settings, stack_state_file=str(state_file))))
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["stack"] == {"state": "running", "restarts": {"actions": 1, "rasa": 0}}


async def test_an_unreadable_state_file_is_reported_unknown(aiohttp_client, test_settings, tmp_path):
    client = await aiohttp_client(create_app(replace(test_settings, stack_state_file=str(tmp_path / "missing.json"))))
    response = await client.get("/healthz")
    assert (await response.json())["stack"] == {"state": "unknown", "restarts": {}}


async def test_a_locked_knowledge_base_is_reported_down_quickly(client, test_settings, locked_database):
    with locked_database(test_settings.database_url):
        started = time.monotonic()
        response = await client.get("/healthz")
        assert time.monotonic() - started < 3  # the probe's own short timeout, not SQLite's 5 s
        assert response.status == 503
        assert (await response.json())["database"] == "down"
    response = await client.get("/healthz")  # the lock released: the next probe reads again
    assert response.status == 200
    assert (await response.json())["database"] == "ok"


async def test_a_knowledge_base_without_its_tables_is_down(aiohttp_client, test_settings, tmp_path):
    settings = replace(test_settings, database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["database"] == "down"
