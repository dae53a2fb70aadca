"""POST /api/chat: what reaches Rasa, what the browser gets back, and what is refused."""
from __future__ import annotations

import asyncio
import json
import unicodedata
from dataclasses import replace

import pytest
from aiohttp.test_utils import unused_port

from bot.gateway.app import create_app


async def chat(client, payload, **kwargs):
    response = await client.post("/api/chat", json=payload, **kwargs)
    return response.status, await response.json()


async def test_message_goes_to_rasa_with_a_gateway_owned_sender(client, fake_rasa, sender):
    status, body = await chat(client, {"sender": sender, "message": "làm giấy khai sinh"})
    assert status == 200
    assert fake_rasa.received == [{"sender": f"web-{sender}", "message": "làm giấy khai sinh"}]
    assert body == {
        "messages": [{"text": "Bạn hỏi: làm giấy khai sinh", "buttons": [{"title": "Lệ phí", "payload": "/ask_fee"}]}]
    }


async def test_personal_data_is_redacted_before_rasa(client, fake_rasa, sender):
    message = "tôi tên An, sđt 0912 345 678, cccd 046201001234, email an.nguyen@example.com, làm khai sinh"
    status, _ = await chat(client, {"sender": sender, "message": message})
    assert status == 200
    forwarded = fake_rasa.received[0]["message"]
    for personal in ("0912 345 678", "046201001234", "an.nguyen@example.com"):
        assert personal not in forwarded
    for placeholder in ("[số điện thoại]", "[số giấy tờ]", "[email]"):
        assert placeholder in forwarded
    assert "làm khai sinh" in forwarded


# The forms that reached the tracker store in issue 14, with the digits that must not reach Rasa.
ISSUE_14_FORMS = [
    ("CCCD079123456789", "079123456789"),
    ("sdt0905123456", "905123456"),
    ("079 123 456 789", "079123456789"),
    ("079.123.456.789", "079123456789"),
    ("123 456 789", "123456789"),
    ("0905  123  456", "905123456"),
    ("0905_123_456", "905123456"),
    ("0905/123/456", "905123456"),
    ("０９０５１２３４５６", "905123456"),
    ("+84 (0) 905 123 456", "905123456"),
    ("0 9 0 5 1 2 3 4 5 6", "905123456"),
]


def _digits(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKC", text) if char.isdigit())


@pytest.mark.parametrize("written, raw", ISSUE_14_FORMS)
async def test_every_form_of_issue_14_is_redacted_before_rasa(client, fake_rasa, sender, written, raw):
    status, _ = await chat(client, {"sender": sender, "message": f"làm lại giấy tờ, số {written} nhé"})
    assert status == 200
    assert raw not in _digits(fake_rasa.received[0]["message"])


@pytest.mark.parametrize(
    "payload, raw",
    [
        ('/ask_fee{"procedure": 905123456}', "905123456"),
        ('/ask_fee{"procedure": 79123456789}', "79123456789"),
        ('/ask_fee{"procedure": "CCCD079123456789"}', "079123456789"),
        ('/ask_fee{"procedure": "0905_123_456"}', "905123456"),
        ('/ask_fee{"procedure": "\\u0030905123456"}', "905123456"),
        ('/inform{"x": 905123456}', "905123456"),  # not an allowed intent: plain text, redacted too
    ],
)
async def test_numbers_inside_payload_entities_are_redacted(client, fake_rasa, sender, payload, raw):
    status, _ = await chat(client, {"sender": sender, "message": payload})
    assert status == 200
    assert raw not in _digits(fake_rasa.received[0]["message"])


async def test_an_ordinary_integer_in_a_payload_stays_an_integer(client, fake_rasa, sender):
    await chat(client, {"sender": sender, "message": '/checklist_answer{"step": 3}'})
    assert fake_rasa.received[0]["message"] == '/checklist_answer{"step":3}'


async def test_the_rasa_token_goes_with_every_message(aiohttp_client, test_settings, fake_rasa, sender):
    client = await aiohttp_client(create_app(replace(test_settings, rasa_token="s3cret-token")))
    status, _ = await chat(client, {"sender": sender, "message": "xin chào"})
    assert status == 200
    assert fake_rasa.tokens == ["s3cret-token"]


async def test_decomposed_vietnamese_is_normalised_to_nfc(client, fake_rasa, sender):
    composed = unicodedata.normalize("NFC", "lệ phí khai sinh")
    await chat(client, {"sender": sender, "message": unicodedata.normalize("NFD", composed)})
    assert fake_rasa.received[0]["message"] == composed


async def test_script_tags_are_forwarded_as_text_and_returned_as_json_text(client, fake_rasa, sender):
    attack = "<script>alert(1)</script>"
    response = await client.post("/api/chat", json={"sender": sender, "message": attack})
    assert response.status == 200
    assert response.content_type == "application/json"
    assert fake_rasa.received[0]["message"] == attack
    body = await response.json()
    assert body["messages"][0]["text"] == f"Bạn hỏi: {attack}"  # data, rendered as text by widget.js


async def test_sql_fragment_passes_through_as_plain_text(client, fake_rasa, sender):
    text = "'; DROP TABLE procedures; --"
    status, _ = await chat(client, {"sender": sender, "message": text})
    assert status == 200
    assert fake_rasa.received[0]["message"] == text


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"sender": "abc", "message": ""}, "empty_message"),
        ({"sender": "abc", "message": "   \n\t "}, "empty_message"),
        ({"sender": "abc", "message": "/"}, "empty_message"),
        ({"sender": "abc"}, "missing_message"),
        ({"sender": "abc", "message": "a" * 1001}, "too_long"),
        ({"sender": "abc", "message": "khai\x00sinh"}, "control_characters"),
        ({"sender": "abc", "message": "\x1b[31mred"}, "control_characters"),
        ({"sender": "abc", "message": "\ud800"}, "control_characters"),
        ({"sender": "abc", "message": 42}, "wrong_type"),
        ({"sender": "abc", "message": ["khai sinh"]}, "wrong_type"),
        ({"sender": "", "message": "xin chào"}, "bad_sender"),
        ({"sender": "a" * 61, "message": "xin chào"}, "bad_sender"),
        ({"sender": "../rasa", "message": "xin chào"}, "bad_sender"),
        ({"sender": "abc\n", "message": "xin chào"}, "bad_sender"),
        ({"sender": 123, "message": "xin chào"}, "bad_sender"),
        ({"message": "xin chào"}, "bad_sender"),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_forwarded(client, fake_rasa, payload, code):
    status, body = await chat(client, payload)
    assert status == 400
    assert body["code"] == code
    assert " / " in body["error"]  # Vietnamese / English
    assert fake_rasa.received == []


async def test_the_limit_is_exactly_max_message_chars(client, fake_rasa, sender):
    status, _ = await chat(client, {"sender": sender, "message": "a" * 1000})
    assert status == 200
    status, body = await chat(client, {"sender": sender, "message": "a" * 1001})
    assert (status, body["code"]) == (400, "too_long")
    assert "1000" in body["error"]
    assert len(fake_rasa.received) == 1


@pytest.mark.parametrize(
    "data, headers, code",
    [
        ('{"sender": "abc", "message": "hi"', {"Content-Type": "application/json"}, "malformed_json"),
        (b'{"sender": "abc", "message": "\xff"}', {"Content-Type": "application/json"}, "malformed_json"),
        ('[{"sender": "abc", "message": "hi"}]', {"Content-Type": "application/json"}, "not_object"),
        ('"hi"', {"Content-Type": "application/json"}, "not_object"),
        ("[" * 15_000, {"Content-Type": "application/json"}, "malformed_json"),
        ('{"sender": "abc", "message": "hi"}', {"Content-Type": "text/plain"}, "wrong_content_type"),
        ("sender=abc&message=hi", {"Content-Type": "application/x-www-form-urlencoded"}, "wrong_content_type"),
    ],
)
async def test_unreadable_bodies_are_refused(client, fake_rasa, data, headers, code):
    response = await client.post("/api/chat", data=data, headers=headers)
    assert response.status == 400
    assert (await response.json())["code"] == code
    assert fake_rasa.received == []


async def test_oversized_body_gets_413_json(client, fake_rasa, sender):
    body = json.dumps({"sender": sender, "message": "a" * 20_000})
    response = await client.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 413
    assert (await response.json())["code"] == "too_large"
    assert fake_rasa.received == []


@pytest.mark.parametrize(
    "typed, forwarded",
    [
        ("/ask_fee", "/ask_fee"),
        ("/greet", "/greet"),
        ('/choose_procedure{"procedure_code":"1.001193"}', '/choose_procedure{"procedure_code":"1.001193"}'),
        ('/choose_procedure{"procedure_code": "1.001193"}', '/choose_procedure{"procedure_code":"1.001193"}'),
        # The coach's buttons, tutorials and checklist answers.
        ("/start_guide", "/start_guide"),
        ("/guide_next", "/guide_next"),
        ("/guide_stuck", "/guide_stuck"),
        ("/guide_stop", "/guide_stop"),
        ("/guide_resume", "/guide_resume"),
        ('/ask_tutorial{"tutorial":"vneid"}', '/ask_tutorial{"tutorial":"vneid"}'),
        ('/ask_checklist{"procedure_code":"1.001193"}', '/ask_checklist{"procedure_code":"1.001193"}'),
        ('/checklist_answer{"checklist_answer":"applicant:parent"}', '/checklist_answer{"checklist_answer":"applicant:parent"}'),
        # Not allowed: sent as plain words, without the slash.
        ("/restart", "restart"),
        ("/session_start", "session_start"),
        ('/ask_fee{"procedure_code": ["x"]}', 'ask_fee{"procedure_code": ["x"]}'),
        ('/ask_fee{"Bad Name": "x"}', 'ask_fee{"Bad Name": "x"}'),
        ("/ask_fee{not json}", "ask_fee{not json}"),
        ("/ask_fee please", "ask_fee please"),
        ("//ask_fee", "ask_fee"),
        ("/ /ask_fee", "ask_fee"),
        ('/nlu_fallback{"x":1}', 'nlu_fallback{"x":1}'),
        ("lệ phí /ask_fee", "lệ phí /ask_fee"),
    ],
)
async def test_only_allowed_intent_payloads_reach_rasa_as_intents(client, fake_rasa, sender, typed, forwarded):
    status, _ = await chat(client, {"sender": sender, "message": typed})
    assert status == 200
    assert fake_rasa.received[0]["message"] == forwarded


async def test_personal_data_inside_a_payload_is_redacted(client, fake_rasa, sender):
    await chat(client, {"sender": sender, "message": '/ask_fee{"procedure": "gọi 0912345678"}'})
    forwarded = fake_rasa.received[0]["message"]
    assert forwarded.startswith("/ask_fee{")
    assert "0912345678" not in forwarded


async def test_rasa_replies_keep_only_text_and_buttons(client, fake_rasa, sender):
    fake_rasa.replies = [
        {"recipient_id": "x", "text": "Xem https://dichvucong.gov.vn", "image": "http://evil.example/x.png"},
        {"recipient_id": "x", "custom": {"html": "<b>x</b>"}},
        {"recipient_id": "x", "buttons": [{"title": "Có", "payload": "/affirm"}, {"title": 1}, "junk"]},
        "not a message",
    ]
    status, body = await chat(client, {"sender": sender, "message": "xin chào"})
    assert status == 200
    assert body == {
        "messages": [
            {"text": "Xem https://dichvucong.gov.vn", "buttons": []},
            {"text": "", "buttons": [{"title": "Có", "payload": "/affirm"}]},
        ]
    }


@pytest.mark.parametrize("status", [500, 502, 404])
async def test_rasa_errors_give_a_polite_503(client, fake_rasa, sender, status):
    fake_rasa.status = status
    response = await client.post("/api/chat", json={"sender": sender, "message": "xin chào"})
    assert response.status == 503
    body = await response.json()
    assert body["code"] == "rasa_unavailable"
    assert "Xin lỗi" in body["error"]


async def test_rasa_timeout_gives_503(client, fake_rasa, sender):
    fake_rasa.delay = 1.5  # test settings wait 1 s
    response = await client.post("/api/chat", json={"sender": sender, "message": "xin chào"})
    assert response.status == 503


async def test_rasa_down_gives_503(aiohttp_client, test_settings, sender):
    settings = replace(test_settings, rasa_url=f"http://127.0.0.1:{unused_port()}")
    client = await aiohttp_client(create_app(settings))
    response = await client.post("/api/chat", json={"sender": sender, "message": "xin chào"})
    assert response.status == 503
    assert (await response.json())["code"] == "rasa_unavailable"


async def test_get_on_the_api_is_a_json_405(client):
    response = await client.get("/api/chat")
    assert response.status == 405
    assert (await response.json())["code"] == "method_not_allowed"


async def test_unknown_api_path_is_a_json_404(client):
    response = await client.post("/api/nothing", json={})
    assert response.status == 404
    assert (await response.json())["code"] == "not_found"


# ---------------------------------------------------------------- client message ids and the chosen language


async def test_a_message_sent_again_with_its_client_id_is_answered_once(client, fake_rasa, sender):
    message = {"sender": sender, "message": "lệ phí khai sinh", "client_id": "4b8f0c1e-0d7a-4f6e-9a1b-2c3d4e5f6a7b"}
    first = await chat(client, message)
    again = await chat(client, message)
    reply = {"text": "Bạn hỏi: lệ phí khai sinh", "buttons": [{"title": "Lệ phí", "payload": "/ask_fee"}]}
    assert first == again == (200, {"messages": [reply]})
    assert len(fake_rasa.received) == 1


async def test_a_retry_while_the_first_send_is_still_waiting_shares_its_reply(client, fake_rasa, sender):
    fake_rasa.delay = 0.3
    message = {"sender": sender, "message": "xin chào", "client_id": "retry-while-waiting-1"}
    first, second = await asyncio.gather(chat(client, message), chat(client, message))
    assert first == second and first[0] == 200
    assert len(fake_rasa.received) == 1


async def test_other_messages_senders_and_ids_are_not_merged(client, fake_rasa, sender):
    await chat(client, {"sender": sender, "message": "xin chào", "client_id": "message-id-0001"})
    await chat(client, {"sender": sender, "message": "xin chào", "client_id": "message-id-0002"})
    await chat(client, {"sender": "other-browser", "message": "xin chào", "client_id": "message-id-0001"})
    await chat(client, {"sender": sender, "message": "lệ phí", "client_id": "message-id-0001"})
    await chat(client, {"sender": sender, "message": "xin chào"})  # no id (curl): never merged
    await chat(client, {"sender": sender, "message": "xin chào"})
    assert len(fake_rasa.received) == 6


async def test_a_failed_send_is_tried_again_for_real(client, fake_rasa, sender):
    message = {"sender": sender, "message": "xin chào", "client_id": "message-after-503"}
    fake_rasa.status = 502
    assert (await chat(client, message))[0] == 503
    fake_rasa.status = 200
    assert (await chat(client, message))[0] == 200
    assert len(fake_rasa.received) == 2


async def test_the_chosen_language_reaches_rasa_as_metadata(client, fake_rasa, sender):
    await chat(client, {"sender": sender, "message": "/ask_fee", "language": "en"})
    assert fake_rasa.received[0] == {"sender": f"web-{sender}", "message": "/ask_fee", "metadata": {"language": "en"}}


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"sender": "abc", "message": "hi", "client_id": "short"}, "bad_client_id"),
        ({"sender": "abc", "message": "hi", "client_id": "a b c d e f g h"}, "bad_client_id"),
        ({"sender": "abc", "message": "hi", "client_id": 12345678}, "bad_client_id"),
        ({"sender": "abc", "message": "hi", "client_id": "x" * 65}, "bad_client_id"),
        ({"sender": "abc", "message": "hi", "language": "fr"}, "bad_language"),
        ({"sender": "abc", "message": "hi", "language": ["vi"]}, "bad_language"),
    ],
)
async def test_bad_client_ids_and_languages_are_refused(client, fake_rasa, payload, code):
    status, body = await chat(client, payload)
    assert (status, body["code"]) == (400, code)
    assert fake_rasa.received == []


# ---------------------------------------------------------------- Rasa answering nothing (action server or KB failed)


@pytest.mark.parametrize(
    "language, expected",
    [
        ("vi", "Xin lỗi, trợ lý chưa tra cứu được thông tin lúc này. Vui lòng thử lại sau ít phút, hoặc gọi đường dây "
               "nóng thành phố Huế 1022."),
        ("en", "Sorry, the assistant cannot look this up right now. Please try again in a few minutes, or call the "
               "Huế city hotline 1022."),
    ],
)
async def test_no_answer_from_rasa_is_a_polite_503_in_the_citizens_language(client, fake_rasa, sender, language,
                                                                            expected):
    fake_rasa.replies = []  # what Rasa sends when the action server failed or the knowledge base is locked
    status, body = await chat(client, {"sender": sender, "message": "lệ phí khai sinh", "language": language})
    assert (status, body) == (503, {"error": expected, "code": "no_answer"})


async def test_no_answer_without_a_language_is_said_in_both(client, fake_rasa, sender):
    fake_rasa.replies = [{"recipient_id": "x", "image": "https://example.org/a.png"}]  # nothing a citizen can read
    status, body = await chat(client, {"sender": sender, "message": "xin chào"})
    assert status == 503
    assert body["code"] == "no_answer" and "Xin lỗi" in body["error"] and "Sorry" in body["error"]


async def test_after_no_answer_the_retry_reaches_rasa_again(client, fake_rasa, sender):
    message = {"sender": sender, "message": "xin chào", "client_id": "message-after-no-answer", "language": "vi"}
    fake_rasa.replies = []
    assert (await chat(client, message))[0] == 503
    fake_rasa.replies = None  # the action server is back
    status, body = await chat(client, message)
    assert status == 200 and body["messages"]
    assert len(fake_rasa.received) == 2
