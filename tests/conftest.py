"""Fixtures shared by every test folder: a temporary SQLite knowledge base with all tables created."""
from __future__ import annotations

import pytest

from knowledge.db import make_engine, make_session_factory
from knowledge.models import Base


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'knowledge.db'}"


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine):
    return make_session_factory(engine)
