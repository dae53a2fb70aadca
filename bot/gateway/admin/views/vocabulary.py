"""The citizens' vocabulary (everyday words → official terms): list, search, add or change an entry (audited).
Search reads it on the next question (the action server rebuilds its index when the vocabulary changes)."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from bot.gateway.admin.keys import STAFF
from bot.gateway.keys import DB_SESSIONS, MESSAGES
from knowledge import repository
from knowledge.text import fold

LIST_LIMIT = 300


def _render(request: web.Request, query: str, errors=(), notice="", form=None, status=200) -> web.Response:
    key = fold(query)
    with request.config_dict[DB_SESSIONS]() as db:
        entries = [(phrase, term) for phrase, term in repository.vocabulary(db).items()
                   if not key or key in fold(phrase) or key in fold(term)]
    context = {"entries": entries[:LIST_LIMIT], "total": len(entries), "limit": LIST_LIMIT, "q": query,
               "errors": list(errors), "notice": notice, "form": form or {"phrase": "", "term": ""}}
    return aiohttp_jinja2.render_template("vocabulary.html", request, context, status=status)


async def vocabulary_list(request: web.Request) -> web.Response:
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    saved = request.query.get("saved", "")
    return _render(request, request.query.get("q", "").strip(), notice=texts["vocabulary_saved"] if saved else "")


async def vocabulary_save(request: web.Request) -> web.Response:
    form = await request.post()
    texts = request.config_dict[MESSAGES].page("admin", "vi")
    phrase, term = " ".join(str(form.get("phrase") or "").split()), " ".join(str(form.get("term") or "").split())
    if not phrase or not term:
        return _render(request, "", [texts["vocabulary_required"]], form={"phrase": phrase, "term": term},
                       status=400)
    with request.config_dict[DB_SESSIONS]() as db, db.begin():
        repository.upsert_vocabulary(db, phrase, term, actor=request[STAFF].username)
    raise web.HTTPFound(request.app.router["admin_vocabulary"].url_for().with_query(q=phrase, saved="1"))


async def vocabulary_delete(request: web.Request) -> web.Response:
    form = await request.post()
    with request.config_dict[DB_SESSIONS]() as db, db.begin():
        repository.delete_vocabulary(db, str(form.get("phrase") or ""), actor=request[STAFF].username)
    raise web.HTTPFound(request.app.router["admin_vocabulary"].url_for().with_query(saved="1"))
