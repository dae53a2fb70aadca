"""Talking to Rasa's REST channel, reading a conversation back, and probing Rasa and the action server.

All calls go through the app's one shared `aiohttp.ClientSession` (keep-alive, pooled connections).
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any
from urllib.parse import quote

import aiohttp

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/rest/webhook"
TRACKER_PATH = "/conversations/{sender}/tracker"
# The most messages a conversation is drawn again with (the latest ones).
MAX_HISTORY_MESSAGES = 200
PROBE_TIMEOUT = aiohttp.ClientTimeout(total=2)


class RasaUnavailable(Exception):
    """Rasa did not answer usefully: refused, timed out, 5xx, or a reply we cannot read."""


async def send_message(
    http: aiohttp.ClientSession,
    rasa_url: str,
    sender: str,
    message: str,
    token: str = "",
    metadata: dict | None = None,
) -> list[dict]:
    """Forward one user message with Rasa's token (`bot.rasa.rasa_server` requires it on the REST channel too);
    Rasa's replies in the gateway's format. `metadata` (the widget's language) reaches the message's event."""
    url = rasa_url.rstrip("/") + WEBHOOK_PATH
    params = {"token": token} if token else None
    body: dict[str, Any] = {"sender": sender, "message": message}
    if metadata:
        body["metadata"] = metadata
    try:
        async with http.post(url, json=body, params=params) as response:
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


async def fetch_conversation(http: aiohttp.ClientSession, rasa_url: str, sender: str, token: str = "") -> list[dict]:
    """The conversation of `sender` so far, from Rasa's tracker (`GET /conversations/{sender}/tracker`, a read
    `bot.rasa.rasa_server` lets through with the token): see `conversation`."""
    url = rasa_url.rstrip("/") + TRACKER_PATH.format(sender=quote(sender, safe=""))
    params = {"token": token} if token else None
    try:
        async with http.get(url, params=params) as response:
            if response.status != 200:
                raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
            tracker = await response.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        raise RasaUnavailable(f"{type(error).__name__}: {error}") from error
    events = tracker.get("events") if isinstance(tracker, dict) else None
    return conversation(events if isinstance(events, list) else [])


_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z_]+)(?P<entities>\{.*\})?", re.DOTALL)


def _payload_key(payload: str) -> tuple[str, str] | None:
    """A button payload in a form that ignores how its JSON was spaced ("/x{"a": 1}" is "/x{"a":1}")."""
    match = _PAYLOAD.fullmatch(payload.strip())
    if match is None:
        return None
    entities: Any = {}
    if match["entities"]:
        try:
            entities = json.loads(match["entities"])
        except ValueError:
            return None
    return match["intent"], json.dumps(entities, sort_keys=True, ensure_ascii=False)


def conversation(events: list) -> list[dict]:
    """What the citizen and the bot said, in order, from a tracker's events.

    Bot messages: {"from": "bot", "text", "buttons"}. What the citizen typed: {"from": "user", "text"} (as Rasa
    keeps it, personal data already replaced by placeholders). A button they pressed is stored as its payload:
    it is shown as {"from": "user", "text": <the button's title>, "choice": true}, the title taken from the
    latest bot message that offered that payload ("" when none did).
    """
    messages: list[dict] = []
    offered: dict[tuple[str, str], str] = {}
    for event in events:
        if not isinstance(event, dict):
            continue
        if event.get("event") == "user":
            text = event.get("text") if isinstance(event.get("text"), str) else ""
            key = _payload_key(text) if text.startswith("/") else None
            if key is not None:
                messages.append({"from": "user", "text": offered.get(key, ""), "choice": True})
            elif text.strip():
                messages.append({"from": "user", "text": text})
        elif event.get("event") == "bot":
            data = event.get("data") if isinstance(event.get("data"), dict) else {}
            message = to_chat_message({"text": event.get("text"), "buttons": data.get("buttons")})
            if message is None:
                continue
            for button in message["buttons"]:
                key = _payload_key(button["payload"])
                if key is not None:
                    offered[key] = button["title"]
            messages.append({"from": "bot", **message})
    return messages[-MAX_HISTORY_MESSAGES:]


async def answers(http: aiohttp.ClientSession, url: str) -> bool:
    """True when GET url answers 200 within two seconds."""
    try:
        async with http.get(url, timeout=PROBE_TIMEOUT) as response:
            await response.read()
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        log.debug("health probe %s failed: %s", url, error)
        return False
