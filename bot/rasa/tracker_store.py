"""Rasa's SQL tracker store, with each conversation's current session kept in memory between turns.

Loaded by the Rasa process (endpoints.yml `type: bot.rasa.tracker_store.CachedSQLTrackerStore`), never by the
gateway. Profiling Rasa under 20 concurrent conversations (bench/README.md "Speed") put about 40 % of its CPU
in `SQLTrackerStore`: every turn re-reads and re-builds the whole session as ORM objects, and every save
counts the stored events again. Here:

- every event is still written to SQL as it happens, in the same table and format, so trainers' logs, other
  Rasa replicas and a restarted server see exactly what `SQLTrackerStore` would have stored;
- a turn first asks the database for the conversation's (event count, highest id). When that matches what
  this process last wrote or read, the session's events come from memory, as the Event objects already built
  (Rasa itself shares them between tracker copies, `DialogueStateTracker.travel_back_in_time`); otherwise
  (another replica wrote, the process restarted, the cache forgot the conversation) they are read with Rasa's
  own query;
- SQLite keeps its connections open (a pool instead of SQLAlchemy 1.4's connection per session) and runs in
  WAL mode with `synchronous=NORMAL`: a commit no longer waits for two fsyncs.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

DEFAULT_CACHED_CONVERSATIONS = 256


@dataclass
class _Session:
    """The stored events of a conversation's latest session, as `SQLTrackerStore._event_query` returns them."""

    marker: tuple  # (number of rows of the conversation, highest row id) when `events` was true
    session_start: Optional[float]  # timestamp of the latest session_started row, None if there is none
    rows: int  # how many rows `SQLTrackerStore._event_query` returns: the latest session's
    events: list[Event] = field(default_factory=list)  # those rows as events
    checked: bool = False  # compared with the database by the last retrieve, not yet saved over


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class CachedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, cached_conversations: int = DEFAULT_CACHED_CONVERSATIONS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection per session (NullPool); keep a few open instead.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._capacity = max(0, int(cached_conversations))
        event = self.SQLEvent
        self._marker_statement = sa.select(sa.func.count(event.id), sa.func.max(event.id)).where(
            event.sender_id == sa.bindparam("sender_id")
        )

    # -- reading -------------------------------------------------------------------------------------------

    def _marker(self, session: Any, sender_id: str) -> tuple:
        return tuple(session.connection().execute(self._marker_statement, {"sender_id": sender_id}).one())

    def _current_session(self, session: Any, sender_id: str) -> _Session:
        """The latest session's stored events, from memory when the database has not changed since."""
        marker = self._marker(session, sender_id)
        known = self._sessions.get(sender_id)
        if known is not None and known.marker == marker:
            known.checked = True
            self._sessions.move_to_end(sender_id)
            return known
        rows = session.execute(
            self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            .with_entities(self.SQLEvent.type_name, self.SQLEvent.timestamp, self.SQLEvent.data)
            .statement
        ).all()
        starts = [row.timestamp for row in rows if row.type_name == SessionStarted.type_name]
        events = deserialise_events([json.loads(row.data) for row in rows])
        loaded = _Session(marker, max(starts) if starts else None, len(rows), events, checked=True)
        self._remember(sender_id, loaded)
        return loaded

    def _remember(self, sender_id: str, known: _Session) -> None:
        if not self._capacity:
            return
        self._sessions[sender_id] = known
        self._sessions.move_to_end(sender_id)
        while len(self._sessions) > self._capacity:
            self._sessions.popitem(last=False)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            known = self._current_session(session, sender_id)
        if not self.domain or not known.rows:
            return None
        return DialogueStateTracker.from_events(sender_id, list(known.events), self.domain.slots)

    # -- writing -------------------------------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events not stored yet (as `SQLTrackerStore.save` does) and keep the session in memory.

        Rasa saves a tracker it retrieved earlier in the same turn, under the conversation's lock: when that
        retrieve checked the cached session against the database, it is not checked a second time.
        """
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        with self.session_scope() as session:
            known = self._sessions.get(sender_id)
            if known is None or not known.checked:
                known = self._current_session(session, sender_id)
            new_events = list(tracker.events)[known.rows:]
            rows = []
            for event in new_events:
                data = event.as_dict()
                rows.append(
                    self.SQLEvent(
                        sender_id=sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.add_all(rows)
            session.flush()  # assigns the ids
            stored = [(row.id, row.type_name, row.timestamp, event) for row, event in zip(rows, new_events)]
            session.commit()
        known.checked = False  # the next save checks again unless a retrieve does first
        if not stored:
            return
        if any(type_name == SessionStarted.type_name for _, type_name, _, _ in stored):
            self._sessions.pop(sender_id, None)  # a new session: the next turn reads it with Rasa's query
            return
        count, _ = known.marker
        kept = [
            event for _, _, timestamp, event in stored
            if known.session_start is None or (timestamp is not None and timestamp >= known.session_start)
        ]
        self._remember(
            sender_id,
            _Session((count + len(stored), max(row_id for row_id, *_ in stored)), known.session_start,
                     known.rows + len(kept), known.events + kept),
        )
