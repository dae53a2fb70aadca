"""The gateway application: `create_app(settings)` builds it, `bot.gateway.serve` runs it."""
from __future__ import annotations

import weakref
from pathlib import Path
from typing import AsyncIterator

import aiohttp
import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.gateway.connections import client_guard, handler_args
from bot.gateway.dedup import ReplyCache
from bot.gateway.errors import api_errors
from bot.gateway.keys import (
    DB_SESSIONS, MESSAGES, RASA_HTTP, REPLIES, SECURITY_HEADERS, SERVED_CONNECTIONS, SETTINGS, STARTERS,
)
from bot.gateway.messages import load_messages
from bot.gateway.routes import setup_routes
from bot.gateway.security import add_security_headers, cors, security_headers
from knowledge.db import make_engine, make_session_factory
from knowledge.settings import Settings

TEMPLATES_DIR = Path(__file__).with_name("templates")
# Connections kept open to Rasa and the action server.
RASA_CONNECTIONS = 100
KEEPALIVE_SECONDS = 30


def create_app(settings: Settings) -> web.Application:
    # cors is outermost, so that the API's error answers carry its headers too; client_guard (compressed bodies,
    # slow bodies, clients that go away) is innermost, so that api_errors never turns a disconnect into a 500.
    app = web.Application(
        client_max_size=settings.max_request_bytes,
        middlewares=[cors, api_errors, client_guard],
        handler_args=handler_args(settings),
    )
    app[SETTINGS] = settings
    app[MESSAGES] = load_messages()
    app[SECURITY_HEADERS] = security_headers(settings)
    app[REPLIES] = ReplyCache()
    app[STARTERS] = {}
    app[SERVED_CONNECTIONS] = weakref.WeakSet()
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    app.on_response_prepare.append(add_security_headers)
    app.cleanup_ctx.append(rasa_http)
    app.cleanup_ctx.append(database)
    setup_routes(app, settings)
    return app


async def rasa_http(app: web.Application) -> AsyncIterator[None]:
    """One client session for every call to Rasa and the action server."""
    settings = app[SETTINGS]
    connector = aiohttp.TCPConnector(limit=RASA_CONNECTIONS, keepalive_timeout=KEEPALIVE_SECONDS)
    timeout = aiohttp.ClientTimeout(total=settings.rasa_timeout_seconds)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        app[RASA_HTTP] = session
        yield


async def database(app: web.Application) -> AsyncIterator[None]:
    """The knowledge-base engine; sessions come from app[DB_SESSIONS]."""
    engine = make_engine(app[SETTINGS].database_url)
    app[DB_SESSIONS] = make_session_factory(engine)
    yield
    engine.dispose()
