"""GET /checklist/{code}?<question>=<value>&lang=vi|en: a citizen's list of papers as a printable page.

The bot links here once the checklist questions are answered (actions/checklist.py). The page is built from the
knowledge base only (the procedure's documents and its checklist rules, knowledge.checklists); answers that are
not questions of the checklist are ignored, and an unanswered question keeps what depends on it, marked.
No script runs on the page: printing uses the browser's own Print (CSS @media print in checklist.css).
When the knowledge base cannot be read (locked, down) the citizen gets a page saying so, with the hotlines, and 503.
"""
from __future__ import annotations

import asyncio
import logging
import re

import aiohttp_jinja2
import sqlalchemy as sa
from aiohttp import web

from bot.gateway.keys import DB_SESSIONS, MESSAGES, SETTINGS
from knowledge import repository
from knowledge.checklists import checklist_items, get_checklist, option_label, questions_of, valid_answers

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
_CODE = re.compile(r"[0-9A-Za-z.\-_]{1,32}")


def _page(sessions, code: str, query, language: str) -> dict | None:
    with sessions() as session:
        procedure = repository.get_procedure(session, code)
        if procedure is None:
            return None
        checklist = get_checklist(session, procedure.code)
        answers = valid_answers(checklist, {key: query.get(key) for key in query})
        items = checklist_items(checklist, procedure.documents, answers, language)
        case = [
            {
                "question": question["text"].get(language) or question["text"]["vi"],
                "answer": (
                    option_label(question, answers[question["key"]], language) if question["key"] in answers else None
                ),
            }
            for question in questions_of(checklist)
        ]
        groups = {kind: [] for kind in ("submit", "present", "note")}
        for item in items:
            document = item.document
            groups[item.kind if item.kind in groups else "submit"].append(
                {
                    "text": item.text,
                    "quantity": document.quantity if document is not None else None,
                    "copy_kind": document.copy_kind if document is not None else "",
                    "form": document.form if document is not None else "",
                    "case": item.case,
                }
            )
        return {
            "procedure_name": procedure.name,
            "procedure_code": procedure.code,
            "official_url": procedure.official_url or procedure.source_url,
            "verified_on": procedure.verified_on.isoformat() if procedure.verified_on else "",
            "case": case,
            "groups": groups,
        }


async def checklist_page(request: web.Request) -> web.Response:
    code = request.match_info["code"]
    if not _CODE.fullmatch(code):
        raise web.HTTPNotFound()
    language = request.query.get("lang", "vi")
    language = language if language in LANGUAGES else "vi"
    settings = request.app[SETTINGS]
    try:
        page = await asyncio.to_thread(_page, request.app[DB_SESSIONS], code, request.query, language)
    except sa.exc.OperationalError as error:  # locked, unreachable
        log.warning("checklist %s: the knowledge base cannot be read: %s", code, error.orig)
        return unavailable_page(request, language)
    if page is None:
        raise web.HTTPNotFound()
    context = {
        **page,
        "lang": language,
        "text": request.app[MESSAGES].page("checklist", language),
        "national_portal_url": settings.national_portal_url,
        "city_hotline": settings.city_hotline,
        "national_hotline": settings.national_hotline,
    }
    response = aiohttp_jinja2.render_template("checklist.html", request, context)
    response.headers["Cache-Control"] = "no-store"  # the answers describe a family's situation
    return response


def unavailable_page(request: web.Request, language: str) -> web.Response:
    """503: the knowledge base cannot be read now; the citizen is told so, and where to call meanwhile."""
    settings = request.app[SETTINGS]
    context = {
        "lang": language,
        "text": request.app[MESSAGES].page("unavailable", language),
        "city_hotline": settings.city_hotline,
        "national_hotline": settings.national_hotline,
    }
    response = aiohttp_jinja2.render_template("unavailable.html", request, context, status=503)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Retry-After"] = "60"
    return response
