"""Typed keys for what the gateway application holds (`app[SETTINGS]`, ...)."""
from __future__ import annotations

import aiohttp
from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.messages import Messages
from knowledge.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
MESSAGES = web.AppKey("messages", Messages)
# One shared client session to Rasa and the action server (keep-alive, connection reuse).
RASA_HTTP = web.AppKey("rasa_http", aiohttp.ClientSession)
# Knowledge-base sessions (feedback now; admin and review later).
DB_SESSIONS = web.AppKey("db_sessions", sessionmaker)
