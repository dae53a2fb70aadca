"""Fixtures for the knowledge-base tests: the small record fixture and a KB with Huế's wards."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from knowledge.wards import sync_wards

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "knowledge" / "procedures.yml"


@pytest.fixture
def records() -> list[dict]:
    """Three canonical records (a fresh copy per test)."""
    return copy.deepcopy(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))


@pytest.fixture
def record(records) -> dict:
    """The birth registration record: documents, channels, legal basis, every field set."""
    return records[0]


@pytest.fixture
def wards_loaded(session_factory):
    with session_factory() as session, session.begin():
        sync_wards(session)
    return session_factory
