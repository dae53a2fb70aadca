"""Typed keys of the admin sub-app, and the request key of the signed-in staff member."""
from __future__ import annotations

from aiohttp import web

from bot.gateway.admin.throttle import LoginThrottle

THROTTLE = web.AppKey("login_throttle", LoginThrottle)
# request[STAFF]: the signed-in user (set by the login middleware for every page but the login page).
STAFF = "staff"
# Background imports of the "Nhập dữ liệu" page: job id → {state, progress, report, user}, and their tasks.
IMPORT_JOBS = web.AppKey("import_jobs", dict)
IMPORT_TASKS = web.AppKey("import_tasks", set)
