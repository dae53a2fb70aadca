"""The audit log, read-only: who changed what, when, before and after; filtered by who, action and target."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from bot.gateway.keys import DB_SESSIONS
from knowledge import repository

PAGE_SIZE = 100


def changed_fields(before, after) -> list[tuple[str, object, object]]:
    """(field, before, after) of every top-level field that differs; a creation lists every field."""
    before, after = before or {}, after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before, after)]
    names = list(dict.fromkeys([*before, *after]))
    return [(name, before.get(name), after.get(name)) for name in names if before.get(name) != after.get(name)]


async def audit_list(request: web.Request) -> web.Response:
    query = request.query
    filters = {name: query.get(name, "").strip() for name in ("actor", "action", "target")}
    page = int(query["page"]) if query.get("page", "").isdigit() and int(query["page"]) > 0 else 1
    with request.config_dict[DB_SESSIONS]() as db:
        entries = repository.audit_entries(db, **filters, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        rows = [{"at": e.at, "actor": e.actor, "action": e.action, "target": e.target,
                 "changes": changed_fields(e.before, e.after)} for e in entries[:PAGE_SIZE]]
    context = {"entries": rows, "filters": filters, "page": page, "more": len(entries) > PAGE_SIZE}
    return aiohttp_jinja2.render_template("audit.html", request, context)
