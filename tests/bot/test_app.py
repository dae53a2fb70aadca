"""The application factory: keys, shared resources, limits and security headers."""
from __future__ import annotations

from dataclasses import replace

import aiohttp
import aiohttp_jinja2

from bot.app import create_app
from bot.keys import DB_SESSIONS, RASA_HTTP, SETTINGS
from bot.security import SECURITY_HEADERS


def test_factory_does_not_open_anything_before_startup(test_settings):
    app = create_app(test_settings)
    assert app[SETTINGS] is test_settings
    assert RASA_HTTP not in app and DB_SESSIONS not in app


async def test_body_limit_comes_from_settings(aiohttp_client, test_settings, fake_rasa):
    client = await aiohttp_client(create_app(replace(test_settings, max_request_bytes=100)))
    small = await client.post("/api/chat", json={"sender": "a", "message": "xin chào"})
    large = await client.post("/api/chat", json={"sender": "a", "message": "x" * 100})
    assert (small.status, large.status) == (200, 413)
    assert len(fake_rasa.received) == 1


async def test_one_shared_rasa_session_closed_on_cleanup(aiohttp_client, test_settings):
    client = await aiohttp_client(create_app(test_settings))
    app = client.server.app
    http = app[RASA_HTTP]
    assert isinstance(http, aiohttp.ClientSession)
    assert http.timeout.total == test_settings.rasa_timeout_seconds
    await client.post("/api/chat", json={"sender": "a", "message": "xin chào"})
    await client.get("/healthz")
    assert app[RASA_HTTP] is http
    await client.close()
    assert http.closed


async def test_security_headers_everywhere(client):
    responses = [
        await client.get("/"),
        await client.get("/static/chat.js"),
        await client.post("/api/chat", json={"sender": "a", "message": "xin chào"}),
        await client.post("/api/chat", data="{", headers={"Content-Type": "application/json"}),
        await client.get("/healthz"),
        await client.get("/no-such-page"),
    ]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.url, name)
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


async def test_jinja_autoescape_is_on(client):
    env = aiohttp_jinja2.get_env(client.server.app)
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
