"""The public service points of the wards and the city (name, address, hours, phone, link), thin over
knowledge.repository: a list and an edit form; a save made on values someone changed meanwhile is refused."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from bot.gateway.admin.keys import STAFF
from bot.gateway.keys import DB_SESSIONS, MESSAGES
from knowledge import repository
from knowledge.text import fold

# Digits with the usual separators, several numbers split by "," or ";" ("0234 3822 123; 1900 1234").
PHONE = re.compile(r"[0-9+()][0-9 .()+\-]*(?:[,;] *[0-9+()][0-9 .()+\-]*)*")


async def office_list(request: web.Request) -> web.Response:
    query = request.query.get("q", "").strip()
    key = fold(query)
    with request.config_dict[DB_SESSIONS]() as db:
        rows = [{"id": office.id, "ward": ward, "name": office.name, "address": office.address,
                 "hours": office.hours, "phone": office.phone}
                for office, ward in repository.list_offices(db)
                if not key or key in fold(f"{ward} {office.name} {office.address}")]
    return aiohttp_jinja2.render_template("offices.html", request, {"offices": rows, "q": query})


def _render(request, office, values, errors=(), notice="", status=200):
    context = {"office": office, "values": values, "errors": list(errors), "notice": notice,
               "version": repository.office_version(office)}
    return aiohttp_jinja2.render_template("office.html", request, context, status=status)


def _load(db, office_id: str):
    office = repository.get_office_by_id(db, int(office_id)) if office_id.isdigit() else None
    if office is None:
        raise web.HTTPNotFound(text="No such office.\n")
    return office


def _values(office) -> dict:
    return {name: getattr(office, name) or "" for name in repository.OFFICE_FIELDS}


async def office_form(request: web.Request) -> web.Response:
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    with request.config_dict[DB_SESSIONS]() as db:
        office = _load(db, request.match_info["office_id"])
        return _render(request, office, _values(office), notice=texts["saved_office"] if request.query.get("saved")
                       else "")


async def office_save(request: web.Request) -> web.Response:
    form = await request.post()
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    sessions = request.config_dict[DB_SESSIONS]
    with sessions() as db:
        office = _load(db, request.match_info["office_id"])
    values = {name: " ".join(str(form.get(name) or "").split()) for name in repository.OFFICE_FIELDS}
    errors = []
    if not values["name"]:
        errors.append(texts["office_name_required"])
    if values["phone"] and not PHONE.fullmatch(values["phone"]):
        errors.append(texts["bad_phone"])
    if values["url"] and values["url"] != office.url and not (
            urlsplit(values["url"]).scheme == "https" and urlsplit(values["url"]).hostname):
        errors.append(texts["bad_link"])
    if errors:
        return _render(request, office, values, errors, status=400)
    try:
        with sessions() as db, db.begin():
            repository.edit_office(db, office.id, values, request[STAFF].username, str(form.get("version") or ""))
    except repository.StaleEdit:
        with sessions() as db:
            current = _load(db, str(office.id))
        return _render(request, current, _values(current), [texts["stale_office"]], status=409)
    raise web.HTTPFound(request.app.router["admin_office"].url_for(office_id=str(office.id)).with_query(saved="1"))
