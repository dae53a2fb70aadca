"""GET / (a sample city page with the widget embedded), GET /chat (the full-page chat) and their static files."""
from __future__ import annotations

import re
from dataclasses import replace

from bot.gateway.app import create_app


async def page(client, path: str = "/") -> str:
    response = await client.get(path)
    assert response.status == 200
    assert response.content_type == "text/html"
    return await response.text()


async def test_city_page_embeds_the_widget_with_one_script_tag(client):
    html = await page(client)
    assert '<html lang="vi">' in html
    assert 'name="viewport"' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts == [' src="/widget.js" defer']  # what a city site writes (README "Embedding the chat")
    assert 'href="/static/site.css?v=' in html
    assert 'href="/chat"' in html  # the full-page version


async def test_chat_page_fills_the_window_and_says_what_to_do_without_script(client, test_settings):
    html = await page(client, "/chat")
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts == [' src="/widget.js" data-mode="page" data-target="hue-assistant-chat" defer']
    assert 'id="hue-assistant-chat"' in html
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.DOTALL).group(1)
    assert test_settings.city_hotline in noscript and test_settings.national_hotline in noscript
    assert "<h1" in html


async def test_pages_have_no_inline_script_or_style(client):
    for path in ("/", "/chat"):
        html = await page(client, path)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path  # CSP: script-src 'self'
        assert "style=" not in html and "<style" not in html, path


async def test_widget_files_are_served_and_render_text_as_text(client):
    for path in ("/widget.js", "/static/widget.js"):
        script = await client.get(path)
        assert script.status == 200
        assert script.content_type in ("application/javascript", "text/javascript")
    assert (await client.get("/widget.js")).headers["Cache-Control"] == "no-cache"
    source = await (await client.get("/widget.js")).text()
    assert "textContent" in source and "createTextNode" in source
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert unsafe not in source, unsafe
    for path in ("/static/widget.css", "/static/site.css"):
        assert (await client.get(path)).status == 200


async def test_settings_shown_on_the_page_are_escaped(aiohttp_client, test_settings):
    settings = replace(test_settings, city_hotline='1022"><script>alert(1)</script>')
    client = await aiohttp_client(create_app(settings))
    html = await page(client)
    assert "<script>alert(1)</script>" not in html
    assert "1022&#34;&gt;&lt;script&gt;" in html
    assert test_settings.national_portal_url in html
