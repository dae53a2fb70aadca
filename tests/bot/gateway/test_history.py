"""POST /api/history: the conversation so far from Rasa's tracker of the browser's own sender id."""
from __future__ import annotations

from dataclasses import replace

import pytest

from bot.gateway.app import create_app
from bot.gateway.rasa_client import MAX_HISTORY_MESSAGES, conversation

FEE_BUTTON = {"title": "Lệ phí", "payload": "/ask_fee"}
CHOICE = '/choose_procedure{"procedure_code":"1.001193"}'

# A tracker as Rasa returns it: session start, a typed question, an answer with buttons, a pressed button
# (its payload stored as the user's text), the coach's step, and events that are not messages.
EVENTS = [
    {"event": "action", "name": "action_session_start"},
    {"event": "session_started"},
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "lam giay khai sinh, sdt [số điện thoại]",
     "parse_data": {"intent": {"name": "ask_documents"}}},
    {"event": "slot", "name": "language", "value": "vi"},
    {"event": "bot", "text": "Có 2 thủ tục gần giống:", "data": {"buttons": [
        {"title": "Đăng ký khai sinh", "payload": CHOICE},
        {"title": "Không phải các thủ tục trên", "payload": "/deny"},
    ]}},
    {"event": "user", "text": '/choose_procedure{"procedure_code": "1.001193"}'},
    {"event": "bot", "text": "Hồ sơ đăng ký khai sinh:\n• Giấy chứng sinh", "data": {"buttons": [FEE_BUTTON]}},
    {"event": "user", "text": "/guide_next"},  # offered by no message: shown as "chose a button"
    {"event": "bot", "text": "Bước 3/8: Chọn cơ quan", "data": {"buttons": []}},
    {"event": "bot", "text": None, "data": {"custom": {"x": 1}}},  # nothing to show
]


def test_conversation_keeps_what_was_said_in_order():
    assert conversation(EVENTS) == [
        {"from": "user", "text": "lam giay khai sinh, sdt [số điện thoại]"},
        {"from": "bot", "text": "Có 2 thủ tục gần giống:", "buttons": [
            {"title": "Đăng ký khai sinh", "payload": CHOICE},
            {"title": "Không phải các thủ tục trên", "payload": "/deny"},
        ]},
        {"from": "user", "text": "Đăng ký khai sinh", "choice": True},
        {"from": "bot", "text": "Hồ sơ đăng ký khai sinh:\n• Giấy chứng sinh", "buttons": [FEE_BUTTON]},
        {"from": "user", "text": "", "choice": True},
        {"from": "bot", "text": "Bước 3/8: Chọn cơ quan", "buttons": []},
    ]  # fmt: skip


def test_conversation_ignores_what_it_cannot_read_and_keeps_the_latest_messages():
    junk = ["x", None, {"event": "user"}, {"event": "user", "text": 5}, {"event": "bot", "data": "x"}]
    assert conversation(junk) == []
    many = [{"event": "user", "text": f"câu {n}"} for n in range(MAX_HISTORY_MESSAGES + 5)]
    drawn = conversation(many)
    assert len(drawn) == MAX_HISTORY_MESSAGES and drawn[-1]["text"] == f"câu {MAX_HISTORY_MESSAGES + 4}"


async def test_history_reads_only_the_browsers_own_prefixed_sender(aiohttp_client, test_settings, fake_rasa, sender):
    fake_rasa.trackers[f"web-{sender}"] = EVENTS
    client = await aiohttp_client(create_app(replace(test_settings, rasa_token="s3cret")))
    response = await client.post("/api/history", json={"sender": sender})
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert body["messages"] == conversation(EVENTS)
    assert fake_rasa.tracker_reads == [(f"web-{sender}", "s3cret")]


async def test_a_new_sender_has_an_empty_history(client, fake_rasa):
    response = await client.post("/api/history", json={"sender": "never-seen"})
    assert (response.status, await response.json()) == (200, {"messages": []})


@pytest.mark.parametrize(
    "payload", [{}, {"sender": "../web-x"}, {"sender": "web-x/tracker"}, {"sender": "a" * 61}, {"sender": 5}]
)
async def test_history_needs_a_valid_sender(client, fake_rasa, payload):
    response = await client.post("/api/history", json=payload)
    assert response.status == 400
    assert (await response.json())["code"] == "bad_sender"
    assert fake_rasa.tracker_reads == []


async def test_history_is_a_polite_503_when_rasa_is_down(client, fake_rasa, sender):
    fake_rasa.status = 500
    response = await client.post("/api/history", json={"sender": sender})
    assert response.status == 503
    assert (await response.json())["code"] == "rasa_unavailable"


async def test_history_is_not_a_get(client):
    response = await client.get("/api/history?sender=abc")  # sender ids stay out of URLs and logs
    assert response.status == 405
