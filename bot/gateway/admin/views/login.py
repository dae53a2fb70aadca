"""Sign in and out. Failed sign-ins are logged and, repeated, slowed down (bot.gateway.admin.throttle)."""
from __future__ import annotations

import asyncio
import logging
import secrets

import aiohttp_jinja2
from aiohttp import web
from aiohttp_session import get_session, new_session

from bot.gateway.admin.keys import THROTTLE
from bot.gateway.keys import DB_SESSIONS, MESSAGES
from knowledge import users

log = logging.getLogger("bot.gateway.admin.login")


def _next(request: web.Request, value: str | None) -> str:
    """Where to go after signing in: an admin path only (never another site)."""
    if value and value.startswith("/admin/") and not value.startswith("//") and "\\" not in value:
        return value
    return str(request.app.router["admin_home"].url_for())


async def login_page(request: web.Request) -> web.Response:
    context = {"error": "", "username": "", "next": _next(request, request.query.get("next"))}
    return aiohttp_jinja2.render_template("login.html", request, context)


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    throttle = request.app[THROTTLE]
    user_key, address_key = throttle.keys(username, request.remote or "")
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    wait = throttle.wait_seconds(user_key, address_key)
    if wait:
        log.warning("admin: sign-in of %r from %s refused, locked for %d s", username[:64], request.remote, wait)
        context = {"error": texts["login_locked"].format(minutes=max(1, round(wait / 60))), "username": username,
                   "next": _next(request, str(form.get("next") or ""))}
        return aiohttp_jinja2.render_template("login.html", request, context, status=429)
    with request.config_dict[DB_SESSIONS]() as db, db.begin():
        # argon2 is slow on purpose: not on the event loop.
        user = await asyncio.to_thread(users.authenticate, db, username, password)
        user_id = user.id if user is not None else None
    if user_id is None:
        failures = throttle.failed(user_key, address_key)
        log.warning("admin: failed sign-in of %r from %s (%d in a row)", username[:64], request.remote, failures)
        context = {"error": texts["login_failed"], "username": username,
                   "next": _next(request, str(form.get("next") or ""))}
        return aiohttp_jinja2.render_template("login.html", request, context, status=401)
    throttle.succeeded(user_key)
    session = await new_session(request)  # a fresh session (and CSRF token) for the signed-in user
    session["user_id"] = user_id
    session["csrf"] = secrets.token_urlsafe(32)
    log.info("admin: %s signed in from %s", username, request.remote)
    raise web.HTTPFound(_next(request, str(form.get("next") or "")))


async def logout(request: web.Request) -> web.Response:
    session = await get_session(request)
    session.invalidate()
    raise web.HTTPFound(request.app.router["admin_login"].url_for())
