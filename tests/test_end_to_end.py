"""End to end: start the action server, Rasa and the gateway for real and chat over HTTP.

Uses the trained model at models/hue.tar.gz (`make test` trains it once) and its own temporary
knowledge base and tracker store, on ports that do not clash with `make run`.
"""
from __future__ import annotations

import json
import sqlite3
import urllib.request
import uuid
from pathlib import Path

import pytest

from bot.stack import Stack, isolated_settings, prepare_knowledge
from knowledge.settings import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "hue.tar.gz"

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make test`, which trains it")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    var = tmp_path_factory.mktemp("e2e")
    settings = isolated_settings(var, port_base=18000)
    prepare_knowledge(settings)
    running = Stack(settings, MODEL, log_dir=var / "log")
    running.start()
    try:
        running.wait_ready(progress=lambda _: None)
        yield running
    finally:
        running.stop()


def _post(stack: Stack, path: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack.settings.gateway_port}{path}",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _chat(stack: Stack, sender: str, message: str) -> str:
    status, body = _post(stack, "/api/chat", {"sender": sender, "message": message})
    assert status == 200, body
    return "\n".join(m.get("text") or "" for m in body["messages"])


def test_health_reports_all_three_up(stack):
    with urllib.request.urlopen(f"http://127.0.0.1:{stack.settings.gateway_port}/healthz", timeout=10) as r:
        assert r.status == 200
        assert json.loads(r.read()) == {
            "gateway": "ok", "rasa": "ok", "actions": "ok", "database": "ok",
            "stack": {"state": "running", "restarts": {"actions": 0, "rasa": 0, "gateway": 0}},
        }  # fmt: skip


def test_birth_registration_documents_without_diacritics(stack):
    sender = uuid.uuid4().hex
    answer = _chat(stack, sender, "lam giay khai sinh can giay to gi")
    assert "Giấy chứng sinh" in answer
    assert "1.001193" in answer
    assert "https://dichvucong.gov.vn/" in answer
    # The follow-up keeps the birth registration in focus.
    fee = _chat(stack, sender, "lệ phí bao nhiêu?")
    assert "1.001193" in fee
    assert "Miễn phí" in fee


def test_naming_another_procedure_replaces_the_first(stack):
    sender = uuid.uuid4().hex
    assert "1.001193" in _chat(stack, sender, "đăng ký khai sinh cần giấy tờ gì")
    answer = _chat(stack, sender, "còn đăng ký kết hôn thì cần giấy tờ gì")
    assert "1.000894" in answer
    assert "1.001193" not in answer


def test_english_question_gets_an_english_answer_from_the_same_record(stack):
    answer = _chat(stack, uuid.uuid4().hex, "What documents do I need for marriage registration?")
    assert "1.000894" in answer
    assert "https://dichvucong.gov.vn/" in answer


def test_ward_question_names_the_ward_service_point(stack):
    answer = _chat(stack, uuid.uuid4().hex, "UBND phường Thuận An ở đâu?")
    assert "Thuận An" in answer


def test_unknown_question_admits_and_points_to_the_portal_and_hotline(stack):
    answer = _chat(stack, uuid.uuid4().hex, "abc xyz linh tinh")
    assert stack.settings.national_portal_url in answer
    assert stack.settings.city_hotline in answer


# Issue 14's forms, each with the digits (or address) that must not be stored or logged anywhere.
PERSONAL_DATA = [
    ("số tôi là 0912345678, email an.nguyen@example.com, cccd 046201001234, làm khai sinh", "912345678"),
    ("CCCD079123456789 làm lại được không", "079123456789"),
    ("sdt0905123456 gọi giúp", "905123456"),
    ("cccd 079 123 456 789", "079123456789"),
    ("cmnd 079.123.456.789", "079123456789"),
    ("số cũ 123 456 789", "123456789"),
    ("gọi 0905  123  456", "905123456"),
    ("gọi 0905_123_456", "905123456"),
    ("gọi 0905/123/456", "905123456"),
    ("gọi ０９０５１２３４５６", "905123456"),
    ("gọi +84 (0) 905 123 456", "905123456"),
    ("gọi 0 9 0 5 1 2 3 4 5 6", "905123456"),
    ('/ask_fee{"procedure": 905123456}', "905123456"),
    ("mail an.nguyen [at] example [dot] com", "an.nguyen"),
]


def test_personal_data_never_reaches_the_tracker_store_or_the_logs(stack):
    sender = uuid.uuid4().hex
    for message, _ in PERSONAL_DATA:
        _chat(stack, sender, message)
    tracker_db = Path(stack.settings.tracker_store_url.removeprefix("sqlite:///"))
    with sqlite3.connect(tracker_db) as connection:
        stored = " ".join(row[0] for row in connection.execute("SELECT data FROM events"))
    logs = " ".join(path.read_text(errors="replace") for path in stack.log_dir.glob("*.log"))
    for place in (stored, logs):
        digits = "".join(char for char in place if char.isdigit())
        for _, raw in PERSONAL_DATA:
            assert raw not in (digits if raw.isdigit() else place)
    assert "an.nguyen@example.com" not in stored


def test_bad_input_is_refused_with_a_clear_error(stack):
    status, body = _post(stack, "/api/chat", {"sender": "abc", "message": ""})
    assert status == 400
    assert body["error"]


def _replies(stack: Stack, sender: str, message: str) -> tuple[str, list[str]]:
    """The bot's text for one message, and the payloads of its buttons."""
    status, body = _post(stack, "/api/chat", {"sender": sender, "message": message})
    assert status == 200, body
    text = "\n".join(m.get("text") or "" for m in body["messages"])
    payloads = [b["payload"] for m in body["messages"] for b in m.get("buttons") or []]
    return text, payloads


@pytest.mark.parametrize(
    "question, step, help_heading, last_words",
    [
        ("hướng dẫn tôi nộp hồ sơ đăng ký khai sinh online", "Bước {n}/8", "Gợi ý cho Bước 6/8",
         "Bạn đã đi hết các bước"),
        ("Guide me through applying online for birth registration", "Step {n}/8", "Tips for step 6/8",
         "You have gone through every step"),
    ],
)  # fmt: skip
def test_online_coach_leads_through_every_step_with_help_on_the_way(stack, question, step, help_heading, last_words):
    sender = uuid.uuid4().hex
    text, payloads = _replies(stack, sender, question)
    assert "1.001193" in text and step.format(n=1) in text
    assert payloads[:3] == ["/guide_next", "/guide_stuck", "/guide_stop"]
    for number in range(2, 9):
        text, payloads = _replies(stack, sender, "/guide_next")
        assert step.format(n=number) in text, text
        if number == 6:  # the upload step: papers of the procedure itself, and help
            assert "Giấy chứng sinh" in text
            help_text, help_payloads = _replies(stack, sender, "/guide_stuck")
            assert help_heading in help_text and stack.settings.city_hotline in help_text
            assert '/ask_tutorial{"tutorial":"photo"}' in help_payloads
    text, _ = _replies(stack, sender, "/guide_next")
    assert last_words in text


def test_question_in_the_middle_of_the_coach_comes_back_to_the_same_step(stack):
    sender = uuid.uuid4().hex
    _replies(stack, sender, "hướng dẫn tôi nộp hồ sơ đăng ký khai sinh online")
    _replies(stack, sender, "/guide_next")
    text, payloads = _replies(stack, sender, "lệ phí bao nhiêu?")
    assert "Miễn phí" in text and "Bước 2/8" in text
    assert "/guide_resume" in payloads
    text, _ = _replies(stack, sender, "/guide_resume")
    assert "Bước 2/8" in text
