"""Typed keys of the admin sub-app, and the request key of the signed-in staff member."""
from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.gateway.admin.throttle import LoginThrottle

THROTTLE = web.AppKey("login_throttle", LoginThrottle)
# request[STAFF]: the signed-in user (set by the login middleware for every page but the login page).
STAFF = "staff"
# Background imports of the "Nhập dữ liệu" page: job id → {state, progress, report, user}, and their tasks.
IMPORT_JOBS = web.AppKey("import_jobs", dict)
IMPORT_TASKS = web.AppKey("import_tasks", set)
# "Cập nhật tên thủ tục cho mô hình" (bot.gateway.admin.views.retrain): its jobs and tasks as the imports', the
# training command (each argument may hold "{name}", the new model's name; tests put a stand-in here) and the
# project root it runs in (lookup tables under data/nlu/lookups/, models under models/).
RETRAIN_JOBS = web.AppKey("retrain_jobs", dict)
RETRAIN_TASKS = web.AppKey("retrain_tasks", set)
RETRAIN_COMMAND = web.AppKey("retrain_command", list)
RETRAIN_ROOT = web.AppKey("retrain_root", Path)
