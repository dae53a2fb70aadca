"""Fixtures for the gateway: a fake Rasa (and action server) that records what it receives,
settings pointing at it with a temporary SQLite knowledge base, and a client of the real app."""
from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from dataclasses import dataclass, field, replace

import pytest
from aiohttp import web

from bot.gateway.app import create_app
import sqlalchemy as sa

from knowledge.db import make_engine
from knowledge.models import Base
from knowledge.settings import Settings


@dataclass
class FakeRasa:
    """Rasa's REST channel, its "/" greeting and the action server's /health on one test server."""

    received: list[dict] = field(default_factory=list)
    tokens: list[str | None] = field(default_factory=list)  # ?token= of each webhook call
    # Tracker events by Rasa sender id (GET /conversations/{sender}/tracker), and who asked, with which token.
    trackers: dict[str, list] = field(default_factory=dict)
    tracker_reads: list[tuple[str, str | None]] = field(default_factory=list)
    # PUT /model calls (the admin's model swap): (JSON body, ?token=); model_status is what they get.
    model_puts: list[tuple[dict, str | None]] = field(default_factory=list)
    model_status: int = 204
    replies: list | None = None  # None: echo the message back with one button
    status: int = 200
    delay: float = 0.0
    url: str = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_get("/conversations/{sender}/tracker", self.tracker)
        app.router.add_put("/model", self.replace_model)
        app.router.add_get("/", self.hello)
        app.router.add_get("/health", self.health)
        return app

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        self.tokens.append(request.query.get("token"))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.Response(status=self.status, text="boom")
        replies = self.replies
        if replies is None:
            replies = [
                {
                    "recipient_id": body["sender"],
                    "text": f"Bạn hỏi: {body['message']}",
                    "buttons": [{"title": "Lệ phí", "payload": "/ask_fee"}],
                }
            ]
        return web.json_response(replies)

    async def tracker(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        self.tracker_reads.append((sender, request.query.get("token")))
        if self.status != 200:
            return web.Response(status=self.status, text="boom")
        return web.json_response({"sender_id": sender, "events": self.trackers.get(sender, [])})

    async def replace_model(self, request: web.Request) -> web.Response:
        self.model_puts.append((await request.json(), request.query.get("token")))
        if self.model_status >= 300:
            return web.json_response({"message": "cannot load"}, status=self.model_status)
        return web.Response(status=self.model_status)

    async def hello(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})


@pytest.fixture
async def fake_rasa(aiohttp_server) -> FakeRasa:
    fake = FakeRasa()
    server = await aiohttp_server(fake.app())
    fake.url = str(server.make_url("")).rstrip("/")
    return fake


@pytest.fixture
def test_settings(tmp_path, fake_rasa) -> Settings:
    database_url = f"sqlite:///{tmp_path / 'knowledge.db'}"
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return replace(
        Settings(),
        database_url=database_url,
        rasa_url=fake_rasa.url,
        action_server_url=fake_rasa.url,
        rasa_timeout_seconds=1,
    )


@pytest.fixture
async def client(aiohttp_client, test_settings):
    return await aiohttp_client(create_app(test_settings))


@pytest.fixture
def sender() -> str:
    return "3f1c2b9e-7d4a-4c1e-9a57-2f0c6b8d1e42"


@contextlib.contextmanager
def _locked_database(database_url: str):
    """The SQLite knowledge base locked by another connection, for reads too: an exclusive transaction in
    exclusive locking mode (in WAL mode a plain BEGIN EXCLUSIVE still lets readers through)."""
    lock = sqlite3.connect(sa.engine.make_url(database_url).database, isolation_level=None, timeout=0.1)
    try:
        lock.execute("PRAGMA locking_mode = EXCLUSIVE")
        lock.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        lock.execute("ROLLBACK")
        lock.close()


@pytest.fixture
def locked_database():
    """`with locked_database(settings.database_url): ...`"""
    return _locked_database
