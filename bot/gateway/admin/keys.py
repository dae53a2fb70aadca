"""Typed keys of the admin sub-app, and the request key of the signed-in staff member."""
from __future__ import annotations

from aiohttp import web

from bot.gateway.admin.throttle import LoginThrottle

THROTTLE = web.AppKey("login_throttle", LoginThrottle)
# request[STAFF]: the signed-in user (set by the login middleware for every page but the login page).
STAFF = "staff"
