"""The staff admin, mounted at /admin: login with roles, CSRF on every form, procedures, vocabulary, audit log."""
from bot.gateway.admin.app import admin_unavailable, create_admin_app

__all__ = ["admin_unavailable", "create_admin_app"]
