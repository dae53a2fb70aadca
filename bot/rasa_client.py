"""Talking to Rasa's REST channel and probing Rasa and the action server.

All calls go through the app's one shared `aiohttp.ClientSession` (keep-alive, pooled connections).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/rest/webhook"
PROBE_TIMEOUT = aiohttp.ClientTimeout(total=2)


class RasaUnavailable(Exception):
    """Rasa did not answer usefully: refused, timed out, 5xx, or a reply we cannot read."""


async def send_message(
    http: aiohttp.ClientSession, rasa_url: str, sender: str, message: str, token: str = ""
) -> list[dict]:
    """Forward one user message with Rasa's token (`bot.rasa_server` requires it on the REST channel too);
    Rasa's replies in the gateway's format."""
    url = rasa_url.rstrip("/") + WEBHOOK_PATH
    params = {"token": token} if token else None
    try:
        async with http.post(url, json={"sender": sender, "message": message}, params=params) as response:
            if response.status != 200:
                raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
            replies = await response.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        raise RasaUnavailable(f"{type(error).__name__}: {error}") from error
    if not isinstance(replies, list):
        raise RasaUnavailable("Rasa's reply is not a list")
    return [message for message in map(to_chat_message, replies) if message is not None]


def to_chat_message(reply: Any) -> dict | None:
    """{"text", "buttons": [{"title", "payload"}]} from one Rasa REST reply; images/custom dropped."""
    if not isinstance(reply, dict):
        return None
    text = reply.get("text") if isinstance(reply.get("text"), str) else ""
    raw_buttons = reply.get("buttons") if isinstance(reply.get("buttons"), list) else []
    buttons = [
        {"title": button["title"], "payload": button["payload"]}
        for button in raw_buttons
        if isinstance(button, dict) and isinstance(button.get("title"), str) and isinstance(button.get("payload"), str)
    ]
    if not text and not buttons:
        return None
    return {"text": text, "buttons": buttons}


async def answers(http: aiohttp.ClientSession, url: str) -> bool:
    """True when GET url answers 200 within two seconds."""
    try:
        async with http.get(url, timeout=PROBE_TIMEOUT) as response:
            await response.read()
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        log.debug("health probe %s failed: %s", url, error)
        return False
