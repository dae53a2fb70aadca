"""The embeddable chat widget: its script (GET /widget.js) and what it needs to start (GET /api/widget).

A city site embeds the chat with one tag, `<script src="https://<gateway>/widget.js" defer></script>`. The script
asks /api/widget for its texts in both languages, its starter buttons, the hotlines and their hours, its limits
and its stylesheet, then draws a launcher button and the chat panel (bot/gateway/static/widget.js). Calls from the
city's other sites are allowed by WIDGET_ALLOWED_ORIGINS (bot.gateway.security.cors).
"""
from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

from aiohttp import web

from bot.gateway.keys import DB_SESSIONS, MESSAGES, SETTINGS, STARTERS
from bot.gateway.validation import LANGUAGES
from knowledge import repository
from knowledge.models import Procedure
from knowledge.text import fold

WIDGET_SCRIPT = Path(__file__).resolve().parent.parent / "static" / "widget.js"
# Starter buttons on an empty conversation: the most asked procedures (the portal's usage counter), then the
# online-submission coach.
STARTER_COUNT = 4
STARTER_TITLE_CHARS = 40
STARTERS_TTL_SECONDS = 600
GUIDE_PAYLOAD = "/start_guide"
_PARENTHESES = re.compile(r"\s*\([^)]*\)")


def starter_title(procedure: Procedure) -> str:
    """The procedure's name without its "(thực hiện tại cấp tỉnh)" parts; a long name gives way to the first
    name citizens use for it ("Làm hộ chiếu")."""
    name = " ".join(_PARENTHESES.sub("", procedure.name).split())
    if len(name) <= STARTER_TITLE_CHARS:
        return name
    aliases = [alias for alias in procedure.aliases or [] if isinstance(alias, str) and alias.strip()]
    if aliases and len(aliases[0]) < len(name):
        alias = aliases[0].strip()
        return alias[:1].upper() + alias[1:]
    return name[: STARTER_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def starter_buttons(procedures: list[Procedure], count: int = STARTER_COUNT) -> list[dict]:
    """The `count` most used procedures as buttons that answer their overview; one per title."""
    buttons: list[dict] = []
    seen: set[str] = set()
    for procedure in sorted(procedures, key=lambda p: (-(p.usage or 0), p.code)):
        if len(buttons) == count or not procedure.usage:
            break
        title = starter_title(procedure)
        if fold(title) in seen:
            continue
        seen.add(fold(title))
        code = json.dumps({"procedure_code": procedure.code}, separators=(",", ":"))
        buttons.append({"title": title, "payload": "/choose_procedure" + code})
    return buttons


async def starters(app: web.Application) -> list[dict]:
    """Starter buttons, read from the knowledge base at most every STARTERS_TTL_SECONDS."""
    cached = app[STARTERS]
    if cached.get("buttons") is not None and time.monotonic() - cached["at"] < STARTERS_TTL_SECONDS:
        return cached["buttons"]

    def read() -> list[dict]:
        with app[DB_SESSIONS]() as session:
            return starter_buttons(repository.list_procedures(session))

    cached.update(buttons=await asyncio.to_thread(read), at=time.monotonic())
    return cached["buttons"]


def link_names(settings, texts: dict) -> list[dict]:
    """Names for the links the bot sends, most specific first: the widget shows the name, not the URL."""
    names = [
        (settings.national_portal_url.rstrip("/") + "/thu-tuc-hanh-chinh/", "link_procedure_page"),
        (settings.national_portal_url, "link_national_portal"),
        (settings.city_portal_url, "link_city_portal"),
        (settings.public_url.rstrip("/") + "/checklist/", "link_checklist"),
    ]
    return [{"url": url, "name": {lang: texts[lang][key] for lang in LANGUAGES}} for url, key in names]


async def widget_config(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    messages = request.app[MESSAGES]
    texts = {lang: dict(messages.page("widget", lang)) for lang in LANGUAGES}
    static = request.app.router["static"]
    config = {
        "texts": texts,
        "starters": [*await starters(request.app), {"text_key": "starter_guide", "payload": GUIDE_PAYLOAD}],
        "stylesheet": str(static.url_for(filename="widget.css")),
        "api": {
            "chat": str(request.app.router["chat"].url_for()),
            "history": str(request.app.router["history"].url_for()),
            "feedback": str(request.app.router["feedback"].url_for()),
            "feedback_comment": str(request.app.router["feedback_comment"].url_for()),
        },
        "max_message_chars": settings.max_message_chars,
        "idle_minutes": settings.widget_idle_minutes,
        "hotlines": {
            "city": settings.city_hotline,
            "national": settings.national_hotline,
            "hours": {"vi": settings.hotline_hours, "en": settings.hotline_hours_en},
        },
        "links": link_names(settings, texts),
    }
    response = web.json_response(config)
    response.headers["Cache-Control"] = "max-age=300"
    return response


async def widget_script(request: web.Request) -> web.FileResponse:
    """The embed script at a fixed address (what city sites put in their pages), revalidated on every use so
    that a new version reaches them at once; its stylesheet has a versioned address."""
    response = web.FileResponse(WIDGET_SCRIPT, headers={"Cache-Control": "no-cache"})
    return response
