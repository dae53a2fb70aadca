"""The coach's guide and the tutorials, per language: title, summary and each step's title, text, help and
source, edited in place (the steps' order, conditions and links stay as the seed made them). A step without a
source is marked "to be checked". Thin over knowledge.guides; a save over someone else's is refused."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from bot.gateway.admin.keys import STAFF
from bot.gateway.keys import DB_SESSIONS, MESSAGES
from knowledge import guides

STEP_FIELDS = ("title", "body", "help", "source")


async def guide_list(request: web.Request) -> web.Response:
    with request.config_dict[DB_SESSIONS]() as db:
        rows = [{"id": g.id, "slug": g.slug, "language": g.language, "title": g.title, "steps": len(g.steps),
                 "to_verify": sum(1 for s in g.steps if not s.source), "updated_by": g.updated_by}
                for g in guides.list_guides(db)]
    return aiohttp_jinja2.render_template("guides.html", request, {"guides": rows})


def _values(guide) -> dict:
    return {"title": guide.title, "summary": guide.summary,
            "steps": [{"key": s.key, **{k: getattr(s, k) for k in STEP_FIELDS}} for s in guide.steps]}


def _render(request, guide, values, errors=(), notice="", status=200):
    context = {"guide": guide, "values": values, "errors": list(errors), "notice": notice,
               "version": guides.guide_version(guide)}
    return aiohttp_jinja2.render_template("guide.html", request, context, status=status)


def _load(db, guide_id: str):
    guide = guides.get_guide_by_id(db, int(guide_id)) if guide_id.isdigit() else None
    if guide is None:
        raise web.HTTPNotFound(text="No such guide.\n")
    return guide


async def guide_form(request: web.Request) -> web.Response:
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    with request.config_dict[DB_SESSIONS]() as db:
        guide = _load(db, request.match_info["guide_id"])
        return _render(request, guide, _values(guide), notice=texts["saved"] if request.query.get("saved") else "")


async def guide_save(request: web.Request) -> web.Response:
    form = await request.post()
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    sessions = request.config_dict[DB_SESSIONS]
    with sessions() as db:
        guide = _load(db, request.match_info["guide_id"])
    values = {
        "title": str(form.get("title") or "").strip(), "summary": str(form.get("summary") or "").strip(),
        "steps": [{"key": step.key, **{k: str(form.get(f"step-{i}-{k}") or "").strip() for k in STEP_FIELDS}}
                  for i, step in enumerate(guide.steps)],
    }
    try:
        with sessions() as db, db.begin():
            guides.edit_guide(db, guide.id, values, request[STAFF].username, str(form.get("version") or ""))
    except guides.StaleGuide:
        with sessions() as db:
            current = _load(db, str(guide.id))
        return _render(request, current, _values(current), [texts["stale_guide"]], status=409)
    except ValueError as error:
        return _render(request, guide, values, [texts["invalid_guide"], str(error)], status=400)
    raise web.HTTPFound(request.app.router["admin_guide"].url_for(guide_id=str(guide.id)).with_query(saved="1"))
