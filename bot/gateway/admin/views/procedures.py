"""The procedure list (search and filters) and the edit form (aliases, times, fees; "Đã kiểm tra"), thin over
knowledge.repository. A save is refused when the record changed since the form was opened."""
from __future__ import annotations

import datetime as dt

import aiohttp_jinja2
from aiohttp import web

from bot.gateway.admin.forms import procedure_changes, procedure_form_values
from bot.gateway.admin.keys import STAFF
from bot.gateway.keys import DB_SESSIONS, MESSAGES
from knowledge import repository
from knowledge.models import LEVELS

LIST_LIMIT = 200


async def home(request: web.Request) -> web.Response:
    raise web.HTTPFound(request.app.router["admin_procedures"].url_for())


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


async def procedure_list(request: web.Request) -> web.Response:
    query = request.query
    days = query.get("not_verified_days", "").strip()
    filters = {
        "q": query.get("q", "").strip(), "field": query.get("field", ""), "level": query.get("level", ""),
        "flagged": query.get("flagged", ""), "verified": query.get("verified", ""),
        "online": query.get("online", ""),
        "not_verified_days": days if days.isdigit() else "",
    }
    with request.config_dict[DB_SESSIONS]() as db:
        found = repository.find_procedures(
            db, filters["q"], field=filters["field"], level=filters["level"] if filters["level"] in LEVELS else "",
            flagged=_yes_no(filters["flagged"]), verified=_yes_no(filters["verified"]),
            online=_yes_no(filters["online"]),
            not_verified_days=int(filters["not_verified_days"]) if filters["not_verified_days"] else None,
        )
        fields = repository.procedure_fields(db)
    context = {"procedures": found[:LIST_LIMIT], "total": len(found), "limit": LIST_LIMIT, "filters": filters,
               "fields": fields, "levels": LEVELS, "deleted": query.get("deleted", "")}
    return aiohttp_jinja2.render_template("procedures.html", request, context)


def _load(db, code: str):
    procedure = repository.get_procedure(db, code)
    if procedure is None:
        raise web.HTTPNotFound(text=f"No procedure {code}.\n")
    return procedure


def _render(request, procedure, values, errors=(), notice="", status=200):
    context = {"procedure": procedure, "values": values, "errors": list(errors), "notice": notice,
               "version": repository.procedure_version(procedure)}
    return aiohttp_jinja2.render_template("procedure.html", request, context, status=status)


async def procedure_form(request: web.Request) -> web.Response:
    with request.config_dict[DB_SESSIONS]() as db:
        procedure = _load(db, request.match_info["code"])
        notice = request.config_dict[MESSAGES].page("admin", "vi")["saved"] if request.query.get("saved") else ""
        return _render(request, procedure, procedure_form_values(procedure), notice=notice)


async def procedure_save(request: web.Request) -> web.Response:
    form = await request.post()
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    staff = request[STAFF].username
    sessions = request.config_dict[DB_SESSIONS]
    with sessions() as db:
        procedure = _load(db, request.match_info["code"])
    code = procedure.code
    changes, errors, values = procedure_changes(form, procedure, texts, staff, dt.date.today())
    if errors:
        return _render(request, procedure, values, errors, status=400)
    try:
        with sessions() as db, db.begin():
            repository.edit_procedure(db, code, changes, staff, str(form.get("version") or ""))
    except repository.StaleEdit:
        with sessions() as db:
            current = _load(db, code)
        message = texts["stale"].format(by=current.updated_by or "?", at=f"{current.updated_at:%H:%M:%S %d/%m/%Y}")
        return _render(request, current, procedure_form_values(current), [message], status=409)
    except repository.InvalidRecord as error:
        return _render(request, procedure, values, [texts["invalid"], *error.errors], status=400)
    raise web.HTTPFound(request.app.router["admin_procedure"].url_for(code=code).with_query(saved="1"))


async def procedure_new(request: web.Request) -> web.Response:
    return aiohttp_jinja2.render_template("procedure_new.html", request, {
        "values": {"code": "", "name": "", "level": "ward", "field": ""}, "levels": LEVELS, "errors": [], "notice": ""})


async def procedure_create(request: web.Request) -> web.Response:
    form = await request.post()
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    values = {name: " ".join(str(form.get(name) or "").split()) for name in ("code", "name", "level", "field")}
    try:
        with request.config_dict[DB_SESSIONS]() as db, db.begin():
            repository.create_procedure(db, values, actor=request[STAFF].username)
    except repository.InvalidRecord as error:
        context = {"values": values, "levels": LEVELS, "errors": [texts["invalid"], *error.errors], "notice": ""}
        return aiohttp_jinja2.render_template("procedure_new.html", request, context, status=400)
    raise web.HTTPFound(request.app.router["admin_procedure"].url_for(code=values["code"]).with_query(saved="1"))


async def procedure_delete(request: web.Request) -> web.Response:
    form = await request.post()
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    sessions = request.config_dict[DB_SESSIONS]
    code = request.match_info["code"]
    try:
        with sessions() as db, db.begin():
            repository.delete_procedure(db, code, request[STAFF].username, str(form.get("version") or ""))
    except LookupError:
        raise web.HTTPNotFound(text=f"No procedure {code}.\n") from None
    except repository.StaleEdit:
        with sessions() as db:
            current = _load(db, code)
        return _render(request, current, procedure_form_values(current), [texts["stale_delete"]], status=409)
    raise web.HTTPFound(request.app.router["admin_procedures"].url_for().with_query(deleted=code))
