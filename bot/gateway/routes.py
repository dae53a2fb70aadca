"""Every URL of the gateway, by name. Views stay in bot/gateway/views/."""
from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.gateway.admin import admin_unavailable, create_admin_app
from bot.gateway.subapps import add_subapp
from bot.gateway.views.chat import chat
from bot.gateway.views.checklist import checklist_page
from bot.gateway.views.feedback import feedback, feedback_comment
from bot.gateway.views.health import healthz
from bot.gateway.views.history import history
from bot.gateway.views.pages import chat_page, index
from bot.gateway.views.widget import widget_config, widget_script
from knowledge.settings import Settings

STATIC_DIR = Path(__file__).with_name("static")


def setup_routes(app: web.Application, settings: Settings) -> None:
    app.router.add_get("/", index, name="index")
    app.router.add_get("/chat", chat_page, name="chat_page")
    app.router.add_get("/widget.js", widget_script, name="widget_script")
    app.router.add_get("/api/widget", widget_config, name="widget_config")
    app.router.add_post("/api/chat", chat, name="chat")
    app.router.add_post("/api/history", history, name="history")
    app.router.add_post("/api/feedback", feedback, name="feedback")
    app.router.add_post("/api/feedback/comment", feedback_comment, name="feedback_comment")
    app.router.add_get("/healthz", healthz, name="healthz")
    app.router.add_get("/checklist/{code}", checklist_page, name="checklist")
    app.router.add_static("/static/", STATIC_DIR, name="static", append_version=True)

    # Staff sub-apps, each with its own middlewares (login, roles, CSRF) and templates. The admin needs
    # SESSION_SECRET (no default): without it /admin says that it is off.
    # Note: the root app's client_max_size (settings.max_request_bytes) applies to sub-apps too; the admin's
    # forms read `request.clone(client_max_size=...)`.
    app.router.add_get("/admin", admin_redirect, name="admin_root")
    if settings.session_secret:
        add_subapp(app, "/admin/", create_admin_app(settings))
    else:
        app.router.add_route("*", "/admin/{tail:.*}", admin_unavailable, name="admin_off")
    # The trainers' review arrives with its issue: add_subapp(app, "/review/", create_review_app(settings))


async def admin_redirect(request: web.Request) -> web.Response:
    raise web.HTTPFound("/admin/")
