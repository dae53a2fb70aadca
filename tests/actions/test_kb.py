"""actions.kb: one engine per process, and a search index rebuilt only when the procedures change."""
from dataclasses import replace

import pytest

from actions import kb as kb_module
from actions.kb import KnowledgeBase
from knowledge import repository


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def timed_kb(kb):
    clock = Clock()
    timed = KnowledgeBase(replace(kb.settings, index_refresh_seconds=30), clock=clock)
    yield timed, clock
    timed.dispose()


def rename_alias(kb, alias):
    with kb.session() as session, session.begin():
        record = repository.procedure_to_record(repository.get_procedure(session, "1.000894"))
        record["aliases"] = record["aliases"] + [alias]
        repository.upsert_procedure(session, record, actor="test")


def test_index_is_reused_until_the_refresh_interval_then_rebuilt_after_a_change(timed_kb):
    kb, clock = timed_kb
    with kb.session() as session:
        first = kb.index(session)
        assert kb.index(session) is first
    rename_alias(kb, "cưới vợ")

    with kb.session() as session:
        assert kb.index(session) is first  # within the interval: no query, old index
        clock.now = 31
        rebuilt = kb.index(session)
    assert rebuilt is not first
    assert rebuilt.search("cưới vợ")[0].code == "1.000894"
    assert kb.index_builds == 2


def test_index_is_kept_when_nothing_changed(timed_kb):
    kb, clock = timed_kb
    with kb.session() as session:
        first = kb.index(session)
        clock.now = 100
        assert kb.index(session) is first
    assert kb.index_builds == 1


def test_engine_is_built_once_and_reused(kb):
    assert kb.engine is kb.engine


def test_nothing_connects_at_import_and_the_default_comes_from_the_environment(monkeypatch, tmp_path):
    previous = kb_module.use_knowledge_base(None)
    try:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
        created = kb_module.knowledge_base()
        assert created.settings.database_url.endswith("env.db")
        assert not created.connected  # lazy: no engine until first use
        assert kb_module.knowledge_base() is created
    finally:
        kb_module.use_knowledge_base(previous)
