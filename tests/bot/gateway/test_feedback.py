"""POST /api/feedback: ratings land in the knowledge base, redacted; bad input is refused."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from knowledge.db import make_engine, make_session_factory
from knowledge.models import Feedback


def stored_feedback(settings) -> list[Feedback]:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.execute(sa.select(Feedback).order_by(Feedback.id)).scalars())
    finally:
        engine.dispose()


async def test_feedback_is_stored_with_the_gateway_sender(client, test_settings, sender):
    response = await client.post(
        "/api/feedback",
        json={"sender": sender, "message": "Lệ phí: Miễn phí", "helpful": True},
    )
    assert response.status == 201
    [row] = stored_feedback(test_settings)
    assert (row.sender, row.message, row.helpful, row.comment) == (f"web-{sender}", "Lệ phí: Miễn phí", True, "")


async def test_comment_and_message_are_redacted(client, test_settings, sender):
    response = await client.post(
        "/api/feedback",
        json={
            "sender": sender,
            "message": "Gọi 0912345678 để hỏi",
            "helpful": False,
            "comment": "sai rồi, email tôi an.nguyen@example.com",
        },
    )
    assert response.status == 201
    [row] = stored_feedback(test_settings)
    assert row.helpful is False
    assert "0912345678" not in row.message and "[số điện thoại]" in row.message
    assert "an.nguyen@example.com" not in row.comment and "[email]" in row.comment


@pytest.mark.parametrize(
    "written, raw",
    [
        ("CCCD079123456789", "079123456789"), ("sdt0905123456", "905123456"), ("079.123.456.789", "079123456789"),
        ("123 456 789", "123456789"), ("0905_123_456", "905123456"), ("0905/123/456", "905123456"),
        ("０９０５１２３４５６", "905123456"), ("+84 (0) 905 123 456", "905123456"),
        ("0 9 0 5 1 2 3 4 5 6", "905123456"), ("an.nguyen [at] example.com", "an.nguyen"),
    ],
)  # fmt: skip
async def test_feedback_comments_are_redacted_in_every_form(client, test_settings, sender, written, raw):
    response = await client.post(
        "/api/feedback",
        json={"sender": sender, "message": f"Bạn hỏi: {written}", "helpful": False, "comment": f"số tôi {written}"},
    )
    assert response.status == 201
    [row] = stored_feedback(test_settings)
    for stored in (row.comment, row.message):
        assert raw not in "".join(char for char in stored if char.isdigit() or not raw.isdigit())


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"message": "x", "helpful": True}, "bad_sender"),
        ({"sender": "abc", "helpful": True}, "missing_message"),
        ({"sender": "abc", "message": "  ", "helpful": True}, "empty_message"),
        ({"sender": "abc", "message": "x"}, "missing_helpful"),
        ({"sender": "abc", "message": "x", "helpful": "yes"}, "missing_helpful"),
        ({"sender": "abc", "message": "x", "helpful": 1}, "missing_helpful"),
        ({"sender": "abc", "message": "x", "helpful": True, "comment": 5}, "wrong_type"),
        ({"sender": "abc", "message": "x", "helpful": True, "comment": "a" * 1001}, "too_long"),
        ({"sender": "abc", "message": "x\x00", "helpful": True}, "control_characters"),
    ],
)
async def test_bad_feedback_is_refused_and_not_stored(client, test_settings, payload, code):
    response = await client.post("/api/feedback", json=payload)
    assert response.status == 400
    assert (await response.json())["code"] == code
    assert stored_feedback(test_settings) == []


async def test_an_answer_of_any_length_can_be_rated_and_its_start_is_kept(client, test_settings, sender):
    answer = "Hồ sơ gồm: " + "giấy tờ " * 500  # 4,011 characters: the most the widget sends
    response = await client.post("/api/feedback", json={"sender": sender, "message": answer, "helpful": False})
    assert response.status == 201
    [row] = stored_feedback(test_settings)
    kept = row.message.rstrip(".…")  # "…" marks the cut (redaction's NFKC writes it "...")
    assert row.message != kept and 1990 <= len(kept) < 2000
    assert answer.startswith(kept)


async def test_the_rating_says_its_id_and_a_comment_can_follow_a_thumbs_down(client, test_settings, sender):
    rating = {"sender": sender, "message": "Lệ phí: 8.000 đồng", "helpful": False}
    response = await client.post("/api/feedback", json=rating)
    feedback_id = (await response.json())["id"]
    response = await client.post(
        "/api/feedback/comment",
        json={"sender": sender, "id": feedback_id, "comment": "phí đã đổi, gọi tôi 0912 345 678"},
    )
    assert response.status == 200
    [row] = stored_feedback(test_settings)
    assert row.comment == "phí đã đổi, gọi tôi [số điện thoại]"  # redacted before it is stored
    assert row.helpful is False


async def test_a_comment_only_goes_on_the_senders_own_rating(client, test_settings, sender):
    response = await client.post("/api/feedback", json={"sender": sender, "message": "x", "helpful": False})
    feedback_id = (await response.json())["id"]
    for payload in (
        {"sender": "someone-else", "id": feedback_id, "comment": "spam"},
        {"sender": sender, "id": feedback_id + 1, "comment": "spam"},
    ):
        response = await client.post("/api/feedback/comment", json=payload)
        assert response.status == 404
        assert (await response.json())["code"] == "feedback_not_found"
    [row] = stored_feedback(test_settings)
    assert row.comment == ""


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"id": 1, "comment": "x"}, "bad_sender"),
        ({"sender": "abc", "comment": "x"}, "bad_feedback_id"),
        ({"sender": "abc", "id": "1", "comment": "x"}, "bad_feedback_id"),
        ({"sender": "abc", "id": 0, "comment": "x"}, "bad_feedback_id"),
        ({"sender": "abc", "id": True, "comment": "x"}, "bad_feedback_id"),
        ({"sender": "abc", "id": 1}, "missing_message"),
        ({"sender": "abc", "id": 1, "comment": "  "}, "empty_message"),
        ({"sender": "abc", "id": 1, "comment": "a" * 1001}, "too_long"),
    ],
)
async def test_bad_comments_are_refused(client, payload, code):
    response = await client.post("/api/feedback/comment", json=payload)
    assert response.status == 400
    assert (await response.json())["code"] == code


async def test_feedback_needs_json(client, test_settings):
    response = await client.post("/api/feedback", data="helpful=true", headers={"Content-Type": "text/plain"})
    assert response.status == 400
    assert (await response.json())["code"] == "wrong_content_type"
