"""API errors: one exception type, rendered as JSON {"error", "code"} by a middleware.

Only paths under /api/ get JSON; pages keep aiohttp's usual responses.
"""
from __future__ import annotations

import logging

from aiohttp import web

from bot.gateway.keys import MESSAGES

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


class ApiError(Exception):
    """A client-visible failure: HTTP status, machine code, values for the message template."""

    def __init__(self, status: int, code: str, **values: object) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.values = values


class BadInput(ApiError):
    def __init__(self, code: str, **values: object) -> None:
        super().__init__(400, code, **values)


# aiohttp's own HTTP errors seen on API paths, mapped to our codes.
_HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


def error_response(
    request: web.Request, status: int, code: str, language: str | None = None, **values: object
) -> web.Response:
    """{"error": text, "code": code}; the text in `language` when the citizen chose one, else "vi / en"."""
    text = request.config_dict[MESSAGES].error(code, language, **values)
    return web.json_response({"error": text, "code": code}, status=status)


@web.middleware
async def api_errors(request: web.Request, handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    try:
        return await handler(request)
    except ApiError as error:
        return error_response(request, error.status, error.code, **error.values)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        fallback = "server_error" if error.status >= 500 else "bad_request"
        return error_response(request, error.status, _HTTP_CODES.get(error.status, fallback))
    except Exception:
        log.exception("unexpected error on %s", request.path)
        return error_response(request, 500, "server_error")
