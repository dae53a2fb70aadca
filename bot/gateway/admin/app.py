"""`create_admin_app(settings)`: the /admin sub-app, with its own middlewares (session, login and role, CSRF).

Sessions are encrypted cookies (aiohttp-session's EncryptedCookieStorage) keyed from SESSION_SECRET: without it
the admin is not mounted (/admin answers 503 saying so); there is no default secret and no default account.
Cookies are HttpOnly, SameSite=Strict, limited to /admin, Secure when PUBLIC_URL is https.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp_session import get_session, session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot.gateway.admin.keys import (IMPORT_JOBS, IMPORT_TASKS, RETRAIN_COMMAND, RETRAIN_JOBS, RETRAIN_ROOT,
                                    RETRAIN_TASKS, STAFF, THROTTLE)
from bot.gateway.admin.routes import setup_admin_routes
from bot.gateway.admin.throttle import LoginThrottle
from bot.gateway.admin.views.retrain import default_command
from bot.gateway.keys import DB_SESSIONS, SETTINGS
from knowledge import users
from knowledge.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).with_name("templates")
MIN_SECRET_LENGTH = 32
SESSION_SECONDS = 8 * 60 * 60
COOKIE_NAME = "hue_admin"
# Forms may carry a procedure with many channels and fees: more than the chat API's limit.
MAX_FORM_BYTES = 512 * 1024
# The upload of "Nhập dữ liệu" has its own limit, ADMIN_UPLOAD_MAX_BYTES (a catalogue file is tens of MB).
UPLOAD_ROUTES = {"admin_import_upload"}
# Pages by who may open them; every other admin page is for admins and editors (not trainers).
PUBLIC_ROUTES = {"admin_login", "admin_login_post"}
ROLES_BY_ROUTE = {
    "admin_logout": ("admin", "editor", "trainer"),
    "admin_accounts": ("admin",),
    "admin_account_create": ("admin",),
    "admin_account_update": ("admin",),
    "admin_procedure_delete": ("admin",),
    "admin_retrain": ("admin",),
    "admin_retrain_start": ("admin",),
    "admin_retrain_job": ("admin",),
    "admin_retrain_status": ("admin",),
}
EDITING_ROLES = ("admin", "editor")


def session_key(secret: str) -> bytes:
    """The 32-byte cookie encryption key derived from SESSION_SECRET; refuses a missing or short secret."""
    if len(secret or "") < MIN_SECRET_LENGTH:
        raise ValueError(
            f"SESSION_SECRET must be set to at least {MIN_SECRET_LENGTH} random characters for the admin "
            "(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return hashlib.sha256(secret.encode("utf-8")).digest()


def create_admin_app(settings: Settings) -> web.Application:
    storage = EncryptedCookieStorage(
        session_key(settings.session_secret),  # bytes: aiohttp-session makes the Fernet key of them
        cookie_name=COOKIE_NAME,
        max_age=SESSION_SECONDS,
        path="/admin",
        httponly=True,
        samesite="Strict",
        secure=settings.public_url.lower().startswith("https://"),
    )
    app = web.Application(middlewares=[larger_forms, session_middleware(storage), require_staff, require_csrf])
    app[THROTTLE] = LoginThrottle()
    app[IMPORT_JOBS] = {}
    app[IMPORT_TASKS] = set()
    app[RETRAIN_JOBS] = {}
    app[RETRAIN_TASKS] = set()
    app[RETRAIN_COMMAND] = default_command()
    app[RETRAIN_ROOT] = PROJECT_ROOT
    app.on_cleanup.append(cancel_imports)
    aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=jinja2.StrictUndefined,
        context_processors=[staff_context],
    )
    setup_admin_routes(app)
    return app


async def cancel_imports(app: web.Application) -> None:
    """Imports and retraining still running when the gateway stops are cancelled (an import's batches already
    written stay; a training is killed and the running model stays)."""
    for task in [*app[IMPORT_TASKS], *app[RETRAIN_TASKS]]:
        task.cancel()


async def admin_unavailable(request: web.Request) -> web.Response:
    return web.Response(status=503, text="The staff admin is off: SESSION_SECRET is not set on the gateway.\n")


async def csrf_token(request: web.Request) -> str:
    """This session's CSRF token (made on first use)."""
    session = await get_session(request)
    if not session.get("csrf"):
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


async def staff_context(request: web.Request) -> dict:
    return {"staff": request.get(STAFF), "csrf_token": await csrf_token(request)}


@web.middleware
async def larger_forms(request: web.Request, handler) -> web.StreamResponse:
    """Admin forms may be larger than the chat API allows. Outermost, so that every later middleware and the
    view share this one request (the session lives on it)."""
    if request.method == "POST":
        if request.match_info.route.name in UPLOAD_ROUTES:
            request = request.clone(client_max_size=request.config_dict[SETTINGS].admin_upload_max_bytes)
        else:
            request = request.clone(client_max_size=MAX_FORM_BYTES)
    return await handler(request)


@web.middleware
async def require_staff(request: web.Request, handler) -> web.StreamResponse:
    """Every page but the login page needs a signed-in, active user of a role the page allows: otherwise a
    page is redirected to the login page (an API-like POST gets 401), a wrong role gets 403. The user and
    role are read from the database on every request, so a disabled account or a changed role counts at once."""
    route = request.match_info.route.name
    if route is None or route in PUBLIC_ROUTES:  # 404 / 405, or the login page
        return await handler(request)
    session = await get_session(request)
    user = None
    if session.get("user_id") is not None:
        with request.config_dict[DB_SESSIONS]() as db:
            user = users.get_user(db, session["user_id"])
            if user is not None and not user.active:
                user = None
    if user is None:
        if request.method == "GET":
            login = request.app.router["admin_login"].url_for().with_query(next=request.path_qs)
            raise web.HTTPFound(login)
        raise web.HTTPUnauthorized(text="Sign in first.\n")
    if user.role not in ROLES_BY_ROUTE.get(route, EDITING_ROLES):
        raise web.HTTPForbidden(text="Your role may not open this page.\n")
    request[STAFF] = user
    return await handler(request)


@web.middleware
async def require_csrf(request: web.Request, handler) -> web.StreamResponse:
    """Every POST carries the session's CSRF token in the form field `csrf_token` (compared in constant time)."""
    if request.method in ("GET", "HEAD", "OPTIONS") or request.match_info.route.name is None:
        return await handler(request)
    form = await request.post()
    session = await get_session(request)
    expected, sent = session.get("csrf") or "", form.get("csrf_token") or ""
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(expected.encode(), sent.encode()):
        log.warning("admin: POST %s refused, missing or wrong CSRF token", request.path)
        raise web.HTTPForbidden(text="Missing or expired form token: reload the page and try again.\n")
    return await handler(request)
