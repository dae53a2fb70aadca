"""GET /: the city page with the chat box, and its static files."""
from __future__ import annotations

import re
from dataclasses import replace

from bot.app import create_app


async def page(client) -> str:
    response = await client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    return await response.text()


async def test_page_is_vietnamese_and_has_the_chat_box(client):
    html = await page(client)
    assert '<html lang="vi">' in html
    assert "<h1>Trợ lý dịch vụ công Huế</h1>" in html
    assert 'name="viewport"' in html
    assert 'id="chat-log"' in html and 'aria-live="polite"' in html
    assert '<label for="chat-input">' in html
    assert 'maxlength="1000"' in html
    assert 'data-api="/api/chat"' in html
    assert "English" in html  # the VI/EN hint


async def test_page_loads_chat_js_and_css_without_inline_script(client):
    html = await page(client)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert len(scripts) == 1 and 'src="/static/chat.js?v=' in scripts[0]
    assert 'href="/static/chat.css?v=' in html
    assert "style=" not in html  # CSP forbids inline styles


async def test_static_files_are_served(client):
    script = await client.get("/static/chat.js")
    assert script.status == 200
    assert script.content_type in ("application/javascript", "text/javascript")
    source = await script.text()
    assert "textContent" in source
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source
    assert (await client.get("/static/chat.css")).status == 200


async def test_footer_links_come_from_settings_and_are_escaped(aiohttp_client, test_settings):
    settings = replace(test_settings, city_hotline='1022"><script>alert(1)</script>')
    client = await aiohttp_client(create_app(settings))
    html = await page(client)
    assert "<script>alert(1)</script>" not in html
    assert "1022&#34;&gt;&lt;script&gt;" in html
    assert test_settings.national_portal_url in html
