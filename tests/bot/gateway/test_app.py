"""The application factory: keys, shared resources, limits and security headers."""
from __future__ import annotations

from dataclasses import replace

import aiohttp
import aiohttp_jinja2

from bot.gateway.app import create_app
from bot.gateway.keys import DB_SESSIONS, RASA_HTTP, SETTINGS
from bot.gateway.security import security_headers


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


async def test_security_headers_everywhere(client, test_settings):
    responses = [
        await client.get("/"),
        await client.get("/chat"),
        await client.get("/widget.js"),
        await client.get("/static/widget.js"),
        await client.get("/api/widget"),
        await client.post("/api/chat", json={"sender": "a", "message": "xin chào"}),
        await client.post("/api/chat", data="{", headers={"Content-Type": "application/json"}),
        await client.get("/healthz"),
        await client.get("/no-such-page"),
    ]
    expected = security_headers(test_settings)
    for response in responses:
        for name, value in expected.items():
            assert response.headers.get(name) == value, (response.url, name)
    csp = expected["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # No site is allowed to embed the chat by default: only the gateway's own pages may frame it.
    assert csp.endswith("frame-ancestors 'self'")
    assert expected["X-Frame-Options"] == "SAMEORIGIN"


def test_allowed_sites_may_frame_the_chat(test_settings):
    settings = replace(test_settings, widget_allowed_origins=("https://hue.gov.vn", "https://www.hue.gov.vn"))
    headers = security_headers(settings)
    assert headers["Content-Security-Policy"].endswith(
        "frame-ancestors 'self' https://hue.gov.vn https://www.hue.gov.vn"
    )
    # X-Frame-Options cannot list sites: with some allowed, CSP frame-ancestors alone decides.
    assert "X-Frame-Options" not in headers


async def test_jinja_autoescape_is_on(client):
    env = aiohttp_jinja2.get_env(client.server.app)
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
