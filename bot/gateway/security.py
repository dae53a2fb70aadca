"""Security headers on every response, and CORS for the widget's API calls from the city's other sites.

Headers are set in `on_response_prepare` rather than a middleware so that static files and aiohttp's own
error responses get them too. Both depend on one setting, WIDGET_ALLOWED_ORIGINS: the sites that may embed
the chat (its script tag calls /api/ from their pages; /chat may be put in their frames). With none set, only
the gateway's own pages may.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from bot.gateway.errors import API_PREFIX, error_response
from bot.gateway.keys import SECURITY_HEADERS, SETTINGS
from knowledge.settings import Settings

# How long a browser may keep a CORS preflight answer, in seconds.
PREFLIGHT_MAX_AGE = 600


def content_security_policy(settings: Settings) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            " ".join(("frame-ancestors 'self'", *settings.widget_allowed_origins)),
        )
    )


def security_headers(settings: Settings) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    if not settings.widget_allowed_origins:
        # X-Frame-Options cannot name other sites; where some are allowed, frame-ancestors alone decides
        # (every browser that reads CSP level 2 ignores X-Frame-Options when frame-ancestors is set).
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in request.config_dict[SECURITY_HEADERS].items():
        response.headers.setdefault(name, value)


def same_origin(request: web.Request, origin: str) -> bool:
    """The page that calls is one of the gateway's own: its Origin names the host the request was sent to, or
    the gateway's public address (PUBLIC_URL; behind a proxy that rewrites Host)."""
    public = urlsplit(request.config_dict[SETTINGS].public_url)
    calling = urlsplit(origin)
    own = (request.host.lower(), public.netloc.lower())
    return calling.scheme in ("http", "https") and calling.netloc.lower() in own


@web.middleware
async def cors(request: web.Request, handler) -> web.StreamResponse:
    """API calls from another site: answered with CORS headers when it is allowed, 403 otherwise.

    Every API call the widget makes is either a GET or a JSON POST, which browsers always preflight, so a page
    of a site that is not allowed never gets to send a message.
    """
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    origin = request.headers.get("Origin")
    if origin is None or same_origin(request, origin):
        response = await handler(request)
        response.headers["Vary"] = "Origin"  # a cache must not hand this answer to another site's page
        return response
    if origin.rstrip("/").lower() not in request.config_dict[SETTINGS].widget_allowed_origins:
        return error_response(request, 403, "origin_not_allowed")
    if request.method == "OPTIONS":
        response: web.StreamResponse = web.Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    else:
        response = await handler(request)
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Vary"] = "Origin"
    return response
