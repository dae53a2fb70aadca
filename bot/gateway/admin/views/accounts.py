"""Staff accounts, for admins only: list, create (argon2 hash), change the role or disable (audited)."""
from __future__ import annotations

import asyncio

import aiohttp_jinja2
from aiohttp import web

from bot.gateway.admin.keys import STAFF
from bot.gateway.keys import DB_SESSIONS, MESSAGES
from knowledge import users
from knowledge.models import ROLES


def _render(request: web.Request, errors=(), notice="", form=None, status=200) -> web.Response:
    with request.config_dict[DB_SESSIONS]() as db:
        accounts = [{"username": u.username, "role": u.role, "active": u.active, "created_at": u.created_at}
                    for u in users.list_users(db)]
    context = {"accounts": accounts, "roles": ROLES, "errors": list(errors), "notice": notice,
               "form": form or {"username": "", "role": "editor"}}
    return aiohttp_jinja2.render_template("accounts.html", request, context, status=status)


async def account_list(request: web.Request) -> web.Response:
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    return _render(request, notice=texts["account_saved"] if request.query.get("saved") else "")


def _create(sessions, username, password, role, actor) -> None:
    with sessions() as db, db.begin():
        users.create_user(db, username, password, role, actor=actor)


async def account_create(request: web.Request) -> web.Response:
    form = await request.post()
    username, role = str(form.get("username") or ""), str(form.get("role") or "")
    password = str(form.get("password") or "")
    try:
        # argon2 is slow on purpose: not on the event loop.
        await asyncio.to_thread(_create, request.config_dict[DB_SESSIONS], username, password, role,
                                request[STAFF].username)
    except users.InvalidUser as error:
        return _render(request, [str(error)], form={"username": username, "role": role}, status=400)
    raise web.HTTPFound(request.app.router["admin_accounts"].url_for().with_query(saved="1"))


async def account_update(request: web.Request) -> web.Response:
    form = await request.post()
    try:
        with request.config_dict[DB_SESSIONS]() as db, db.begin():
            users.update_user(db, request.match_info["username"], role=str(form.get("role") or ""),
                              active=form.get("active") == "1", actor=request[STAFF].username)
    except users.InvalidUser as error:
        return _render(request, [str(error)], status=400)
    raise web.HTTPFound(request.app.router["admin_accounts"].url_for().with_query(saved="1"))
