"""CachedSQLTrackerStore stores and returns exactly what Rasa's SQLTrackerStore does, turn after turn,
also when another Rasa replica writes to the same database."""
from __future__ import annotations

import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from bot.rasa.tracker_store import CachedSQLTrackerStore

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, ask_fee]
slots:
  language:
    type: text
    mappings: [{type: custom, action: action_detect_language}]
actions: [action_answer_fee]
responses:
  utter_greet: [{text: "Xin chào"}]
"""
)


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'tracker.db'}"


def _store(url, **kwargs):
    return CachedSQLTrackerStore(domain=DOMAIN, host=url, **kwargs)


def _turn(text: str, intent: str, answer: str) -> list:
    return [
        UserUttered(text, {"name": intent, "confidence": 0.9}),
        SlotSet("language", "vi"),
        ActionExecuted("action_answer_fee"),
        BotUttered(answer),
        ActionExecuted("action_listen"),
    ]


async def _say(store, sender: str, *events) -> None:
    tracker = await store.get_or_create_tracker(sender)
    for event in events:
        tracker.update(event)
    await store.save(tracker)


def _rows(url: str, sender: str) -> list[tuple]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return connection.execute(
            "SELECT type_name, intent_name, action_name FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()


def _shape(tracker) -> list[tuple]:
    return [(type(event).__name__, getattr(event, "text", None) or getattr(event, "action_name", None))
            for event in tracker.events]


async def test_a_conversation_is_stored_once_and_read_back_as_rasa_reads_it(url):
    store = _store(url)
    for number in range(3):
        await _say(store, "citizen", *_turn(f"lệ phí lần {number}", "ask_fee", f"Lệ phí {number}"))
    ours = await store.retrieve("citizen")
    rasa_own = await SQLTrackerStore(domain=DOMAIN, host=url).retrieve("citizen")
    assert _shape(ours) == _shape(rasa_own)
    assert len(_rows(url, "citizen")) == len(ours.events)  # nothing written twice
    assert [row for row in _rows(url, "citizen") if row[0] == "user"] == [("user", "ask_fee", None)] * 3
    assert ours.get_slot("language") == "vi"


async def test_events_written_by_another_replica_are_seen(url):
    ours, other_replica = _store(url), _store(url)
    await _say(ours, "citizen", *_turn("lệ phí?", "ask_fee", "Lệ phí 8.000 đồng"))
    await _say(other_replica, "citizen", *_turn("bao lâu?", "ask_fee", "5 ngày"))
    await _say(ours, "citizen", *_turn("cảm ơn", "greet", "Không có chi"))
    texts = [event.text for event in (await ours.retrieve("citizen")).events if isinstance(event, UserUttered)]
    assert texts == ["lệ phí?", "bao lâu?", "cảm ơn"]
    assert len(_rows(url, "citizen")) == 1 + 15  # the first action_listen, then three turns, none twice


async def test_a_new_session_hides_the_previous_one_as_rasa_does(url):
    store = _store(url)
    await _say(store, "citizen", *_turn("lệ phí?", "ask_fee", "8.000 đồng"))
    await _say(store, "citizen", ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"))
    await _say(store, "citizen", *_turn("hello", "greet", "Hello"))
    ours = await store.retrieve("citizen")
    assert _shape(ours) == _shape(await SQLTrackerStore(domain=DOMAIN, host=url).retrieve("citizen"))
    assert [event.text for event in ours.events if isinstance(event, UserUttered)] == ["hello"]
    everything = await store.retrieve_full_tracker("citizen")
    assert [event.text for event in everything.events if isinstance(event, UserUttered)] == ["lệ phí?", "hello"]


async def test_conversations_beyond_the_cache_size_are_read_from_the_database(url):
    store = _store(url, cached_conversations=1)
    for sender in ("an", "binh", "chi"):
        await _say(store, sender, *_turn(f"tôi là {sender}", "greet", "Chào"))
    for sender in ("an", "binh", "chi"):
        await _say(store, sender, *_turn("lệ phí?", "ask_fee", "8.000 đồng"))
        tracker = await store.retrieve(sender)
        assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [f"tôi là {sender}", "lệ phí?"]
        assert len(_rows(url, sender)) == 1 + 10


async def test_unknown_conversation_is_none(url):
    assert await _store(url).retrieve("nobody") is None


def test_sqlite_runs_in_wal_mode(url):
    store = _store(url)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


async def test_a_write_between_retrieve_and_save_loses_nothing_and_doubles_nothing(url):
    ours, other_replica = _store(url), _store(url)
    await _say(ours, "citizen", *_turn("lệ phí?", "ask_fee", "8.000 đồng"))
    tracker = await ours.retrieve("citizen")  # our turn starts …
    await _say(other_replica, "citizen", *_turn("bao lâu?", "ask_fee", "5 ngày"))  # … a write slips in …
    for event in _turn("cảm ơn", "greet", "Không có chi"):
        tracker.update(event)
    await ours.save(tracker)  # … and our turn ends
    rows = _rows(url, "citizen")
    assert [row for row in rows if row[0] == "user"] == [("user", "ask_fee", None)] * 2 + [("user", "greet", None)]
    assert len(rows) == 1 + 15
    texts = [e.text for e in (await ours.retrieve("citizen")).events if isinstance(e, UserUttered)]
    assert sorted(texts) == sorted(["lệ phí?", "bao lâu?", "cảm ơn"])


async def test_a_turn_that_is_never_saved_leaves_nothing_behind(url):
    store = _store(url)
    await _say(store, "citizen", *_turn("lệ phí?", "ask_fee", "8.000 đồng"))
    failed_turn = await store.retrieve("citizen")
    failed_turn.update(UserUttered("câu hỏi bị lỗi", {"name": "ask_fee"}))
    failed_turn.update(SlotSet("language", "en"))
    again = await store.retrieve("citizen")
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["lệ phí?"]
    assert again.get_slot("language") == "vi"
