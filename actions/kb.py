"""The action server's handle on the knowledge base: one engine and one search index per process.

Nothing connects at import. The first action call builds the engine (from `Settings.from_env()`) and the
`ProcedureIndex`; later calls reuse both. The index is rebuilt when the procedures table changes: at most
every `index_refresh_seconds`, a cheap query (count, max id, max updated_at) is compared with the signature
the index was built from, so staff edits reach the bot without a restart.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from knowledge import repository
from knowledge.db import make_engine, make_session_factory
from knowledge.models import Procedure, Vocabulary
from knowledge.search import ProcedureIndex
from knowledge.settings import Settings


def procedures_signature(session: Session) -> tuple:
    """What changes whenever a procedure or a vocabulary entry is added, edited or removed."""
    row = session.execute(
        sa.select(sa.func.count(Procedure.id), sa.func.max(Procedure.id), sa.func.max(Procedure.updated_at))
    ).one()
    words = session.execute(
        sa.select(sa.func.count(Vocabulary.id), sa.func.max(Vocabulary.id), sa.func.max(Vocabulary.updated_at))
    ).one()
    return tuple(row) + tuple(words)


class KnowledgeBase:
    """Lazily built engine, session factory and cached search index for one database."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._engine: Optional[sa.engine.Engine] = None
        self._sessions = None
        self._index: Optional[ProcedureIndex] = None
        self._signature: Optional[tuple] = None
        self._checked_at: Optional[float] = None
        self.index_builds = 0  # how many times the index was built (observable in tests and logs)

    @property
    def connected(self) -> bool:
        """Whether the engine exists yet (it is built on first use)."""
        return self._engine is not None

    @property
    def engine(self) -> sa.engine.Engine:
        """The engine, built on first use."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    engine = make_engine(self.settings.database_url)
                    self._sessions = make_session_factory(engine)
                    self._engine = engine
        return self._engine

    def session(self) -> Session:
        """A new session; use it as a context manager (`with kb.session() as session:`)."""
        self.engine  # noqa: B018 - builds the engine and session factory on first use
        return self._sessions()

    def index(self, session: Session) -> ProcedureIndex:
        """The search index, rebuilt if the procedures table changed since the last check."""
        now = self._clock()
        with self._lock:
            due = (
                self._index is None
                or self._checked_at is None
                or now - self._checked_at >= self.settings.index_refresh_seconds
            )
            if due:
                signature = procedures_signature(session)
                if self._index is None or signature != self._signature:
                    self._index = repository.load_index(session)
                    self._signature = signature
                    self.index_builds += 1
                self._checked_at = now
            return self._index

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._sessions = None
        self._index = None
        self._signature = None
        self._checked_at = None


_current: Optional[KnowledgeBase] = None
_current_lock = threading.Lock()


def knowledge_base() -> KnowledgeBase:
    """The process-wide knowledge base, created on first use from the environment."""
    global _current
    if _current is None:
        with _current_lock:
            if _current is None:
                _current = KnowledgeBase(Settings.from_env())
    return _current


def use_knowledge_base(kb: Optional[KnowledgeBase]) -> Optional[KnowledgeBase]:
    """Replace the process-wide knowledge base (tests, or a server switching databases); returns the old one."""
    global _current
    with _current_lock:
        previous, _current = _current, kb
    return previous
