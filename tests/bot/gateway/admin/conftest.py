"""The admin on a temporary knowledge base (the test procedures) with one user of each role."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from bot.gateway.app import create_app
from knowledge import repository, users
from knowledge.db import make_engine, make_session_factory

RECORDS = Path(__file__).resolve().parents[3] / "data" / "procedures.yml"
PASSWORD = "correct horse battery staple"
SECRET = "test-session-secret-that-is-long-enough-0123456789"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="([^"]+)"')


@pytest.fixture
def admin_settings(test_settings):
    engine = make_engine(test_settings.database_url)
    with make_session_factory(engine)() as session, session.begin():
        for record in yaml.safe_load(RECORDS.read_text(encoding="utf-8")):
            repository.upsert_procedure(session, record, actor="test")
        for role in ("admin", "editor", "trainer"):
            users.create_user(session, f"an.{role}", PASSWORD, role, actor="test")
    engine.dispose()
    return replace(test_settings, session_secret=SECRET)


@pytest.fixture
def db(admin_settings):
    engine = make_engine(admin_settings.database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
async def admin_client(aiohttp_client, admin_settings):
    return await aiohttp_client(create_app(admin_settings))


def token_in(html: str) -> str:
    return _TOKEN.search(html).group(1)


def version_in(html: str) -> str:
    return _VERSION.search(html).group(1)


async def sign_in(client, username: str, password: str = PASSWORD, expect: int = 302):
    page = await client.get("/admin/login")
    token = token_in(await page.text())
    response = await client.post(
        "/admin/login", data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == expect, await response.text()
    return response


@pytest.fixture
def login():
    return sign_in
