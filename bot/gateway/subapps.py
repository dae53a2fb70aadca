"""Mounting a sub-app (/admin, /review) under a path prefix.

aiohttp 3.9's own prefix resource matches on `request.url`, which this project's yarl (1.25, pinned) cannot build
when the Host header carries a port ("Host '127.0.0.1:8000' cannot contain ':'"): every request to a sub-app
would fail with 500. This resource matches on the path alone (`request.rel_url`), which is all it ever used.
"""
from __future__ import annotations

from functools import partial

from aiohttp import web
from aiohttp.web_urldispatcher import PrefixedSubAppResource


class PathPrefixedSubAppResource(PrefixedSubAppResource):
    async def resolve(self, request: web.Request):
        path = request.rel_url.raw_path
        if not path.startswith(self._prefix2) and path != self._prefix:
            return None, set()
        match_info = await self._app.router.resolve(request)
        match_info.add_app(self._app)
        if isinstance(match_info.http_exception, web.HTTPMethodNotAllowed):
            return match_info, match_info.http_exception.allowed_methods
        return match_info, set()


def add_subapp(app: web.Application, prefix: str, subapp: web.Application) -> web.AbstractResource:
    """`app.add_subapp(prefix, subapp)` with the path-only prefix resource above."""
    prefix = prefix.rstrip("/")
    return app._add_subapp(partial(PathPrefixedSubAppResource, prefix, subapp), subapp)
