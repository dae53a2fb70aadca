"""Typed keys for what the gateway application holds (`app[SETTINGS]`, ...)."""
from __future__ import annotations

import weakref

import aiohttp
from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.gateway.dedup import ReplyCache
from bot.gateway.messages import Messages
from knowledge.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
MESSAGES = web.AppKey("messages", Messages)
# The headers every response gets (bot.gateway.security), built once from the settings.
SECURITY_HEADERS = web.AppKey("security_headers", dict)
# One shared client session to Rasa and the action server (keep-alive, connection reuse).
RASA_HTTP = web.AppKey("rasa_http", aiohttp.ClientSession)
# Knowledge-base sessions (feedback now; admin and review later).
DB_SESSIONS = web.AppKey("db_sessions", sessionmaker)
# Replies by client message id, so that a message sent again is answered once (bot.gateway.dedup).
REPLIES = web.AppKey("replies", ReplyCache)
# The widget's starter buttons, computed from the knowledge base and kept a while (bot.gateway.views.widget).
STARTERS = web.AppKey("starters", dict)
# Transports of the connections that sent at least one complete request (bot.gateway.connections).
SERVED_CONNECTIONS = web.AppKey("served_connections", weakref.WeakSet)
