"""GET /healthz: 200 only when Rasa and the action server both answer."""
from __future__ import annotations

from dataclasses import replace

from aiohttp.test_utils import unused_port

from bot.app import create_app


async def test_all_up(client):
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"gateway": "ok", "rasa": "ok", "actions": "ok"}


async def test_rasa_down(aiohttp_client, test_settings):
    settings = replace(test_settings, rasa_url=f"http://127.0.0.1:{unused_port()}")
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/healthz")
    assert response.status == 503
    assert await response.json() == {"gateway": "ok", "rasa": "down", "actions": "ok"}


async def test_action_server_down(aiohttp_client, test_settings):
    settings = replace(test_settings, action_server_url=f"http://127.0.0.1:{unused_port()}")
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/healthz")
    assert response.status == 503
    assert await response.json() == {"gateway": "ok", "rasa": "ok", "actions": "down"}


async def test_a_server_answering_an_error_counts_as_down(aiohttp_client, test_settings, fake_rasa):
    # The fake has no /missing route: 404 is not "ok".
    settings = replace(test_settings, action_server_url=fake_rasa.url + "/missing")
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["actions"] == "down"
