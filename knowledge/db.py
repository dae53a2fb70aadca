"""Engine and session factories. Nothing connects at import time."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(database_url: str) -> sa.engine.Engine:
    """Build an engine; for SQLite, create the parent folder, enable foreign keys and keep connections open.

    SQLAlchemy 1.4 opens a new SQLite file connection (and runs the pragmas) for every session; the action
    server opens a session per action, so file databases get a connection pool, as SQLAlchemy 2.0 does.
    """
    url = sa.engine.make_url(database_url)
    kwargs: dict = {"future": True}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["poolclass"] = sa.pool.QueuePool
        kwargs["connect_args"] = {"check_same_thread": False}
    engine = sa.create_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

    return engine


def make_session_factory(engine: sa.engine.Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False, class_=Session)
