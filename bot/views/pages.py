"""GET /: the city page with the chat box."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from bot.keys import MESSAGES, SETTINGS


@aiohttp_jinja2.template("index.html")
async def index(request: web.Request) -> dict:
    settings = request.app[SETTINGS]
    return {
        "title": request.app[MESSAGES].app_title,
        "max_message_chars": settings.max_message_chars,
        "national_portal_url": settings.national_portal_url,
        "city_portal_url": settings.city_portal_url,
        "national_hotline": settings.national_hotline,
        "city_hotline": settings.city_hotline,
    }
