"""GET /: a sample page of the city site with the chat widget embedded by its one script tag;
GET /chat: the chat as a full page (a link to send people to, or to put in a frame)."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from bot.gateway.keys import MESSAGES, SETTINGS


def _context(request: web.Request, page: str) -> dict:
    settings = request.app[SETTINGS]
    return {
        "title": request.app[MESSAGES].app_title,
        "text": request.app[MESSAGES].page(page, "vi"),
        "national_portal_url": settings.national_portal_url,
        "city_portal_url": settings.city_portal_url,
        "national_hotline": settings.national_hotline,
        "city_hotline": settings.city_hotline,
    }


@aiohttp_jinja2.template("index.html")
async def index(request: web.Request) -> dict:
    return _context(request, "city")


@aiohttp_jinja2.template("chat.html")
async def chat_page(request: web.Request) -> dict:
    return _context(request, "chat")
