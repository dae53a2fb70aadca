"""The widget's start-up data (GET /api/widget), its starter buttons, and CORS for the sites allowed to embed it."""
from __future__ import annotations

from dataclasses import replace

import pytest

from bot.gateway.app import create_app
from bot.gateway.views.widget import starter_buttons, starter_title
from knowledge.db import make_engine, make_session_factory
from knowledge.models import Procedure
from knowledge.settings import origins

CITY_SITE = "https://hue.gov.vn"


def procedure(code, name, usage, aliases=()):
    return Procedure(code=code, name=name, usage=usage, aliases=list(aliases))


def test_starter_titles_are_short_names_citizens_know():
    assert starter_title(procedure("1", "Đăng ký tạm trú", 1)) == "Đăng ký tạm trú"
    assert starter_title(procedure("2", "Cấp đổi thẻ căn cước (thực hiện tại cấp tỉnh)", 1)) == "Cấp đổi thẻ căn cước"
    long_name = "Đăng ký xe lần đầu trực tuyến toàn trình đối với xe sản xuất lắp ráp trong nước"
    assert starter_title(procedure("3", long_name, 1, ["đăng ký xe online"])) == "Đăng ký xe online"
    assert starter_title(procedure("4", long_name, 1)).endswith("…")


def test_starters_are_the_most_used_procedures_once_each():
    procedures = [
        procedure("1.004194", "Đăng ký tạm trú", 15),
        procedure("1.001456", "Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)", 13),
        procedure("1.001471", "Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp trung ương)", 3),
        procedure("1.004222", "Đăng ký thường trú", 8),
        procedure("1.010041", "Xác nhận thông tin về cư trú", 5),
        procedure("1.000001", "Never asked", 0),
    ]
    assert starter_buttons(procedures, count=4) == [
        {"title": "Đăng ký tạm trú", "payload": '/choose_procedure{"procedure_code":"1.004194"}'},
        {"title": "Cấp hộ chiếu phổ thông ở trong nước", "payload": '/choose_procedure{"procedure_code":"1.001456"}'},
        {"title": "Đăng ký thường trú", "payload": '/choose_procedure{"procedure_code":"1.004222"}'},
        {"title": "Xác nhận thông tin về cư trú", "payload": '/choose_procedure{"procedure_code":"1.010041"}'},
    ]
    assert starter_buttons([procedure("1", "x", 0)]) == []  # no usage known: no guess


async def test_widget_config_has_texts_in_both_languages_starters_hotlines_and_limits(aiohttp_client, test_settings):
    engine = make_engine(test_settings.database_url)
    with make_session_factory(engine)() as session, session.begin():
        session.add(procedure("1.004194", "Đăng ký tạm trú", 15))
    engine.dispose()
    settings = replace(test_settings, hotline_hours="7:00–17:00 các ngày làm việc", widget_idle_minutes=20)
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/api/widget")
    assert response.status == 200
    config = await response.json()
    assert set(config["texts"]) == {"vi", "en"}
    assert set(config["texts"]["vi"]) == set(config["texts"]["en"])
    assert config["texts"]["vi"]["new_conversation"] == "Cuộc trò chuyện mới"
    assert config["texts"]["vi"]["staff"] == "Gặp nhân viên"
    assert config["starters"] == [
        {"title": "Đăng ký tạm trú", "payload": '/choose_procedure{"procedure_code":"1.004194"}'},
        {"text_key": "starter_guide", "payload": "/start_guide"},
    ]
    assert config["texts"]["vi"]["starter_guide"] == "Hướng dẫn nộp hồ sơ trực tuyến"
    assert config["hotlines"] == {
        "city": test_settings.city_hotline,
        "national": test_settings.national_hotline,
        "hours": {"vi": "7:00–17:00 các ngày làm việc", "en": test_settings.hotline_hours_en},
    }
    assert (config["max_message_chars"], config["idle_minutes"]) == (test_settings.max_message_chars, 20)
    assert config["api"] == {
        "chat": "/api/chat", "history": "/api/history",
        "feedback": "/api/feedback", "feedback_comment": "/api/feedback/comment",
    }  # fmt: skip
    assert config["stylesheet"].startswith("/static/widget.css?v=")
    assert config["links"][0]["url"] == test_settings.national_portal_url + "/thu-tuc-hanh-chinh/"


def test_allowed_origins_are_read_strictly():
    assert origins("https://hue.gov.vn, https://WWW.hue.gov.vn/ http://localhost:8080") == (
        "https://hue.gov.vn", "https://www.hue.gov.vn", "http://localhost:8080",
    )  # fmt: skip
    assert origins("") == ()
    for wrong in ("hue.gov.vn", "https://hue.gov.vn/path", "*", "ftp://hue.gov.vn"):
        with pytest.raises(ValueError, match="WIDGET_ALLOWED_ORIGINS"):
            origins(wrong)


# ---------------------------------------------------------------- CORS


@pytest.fixture
async def embedded(aiohttp_client, test_settings):
    return await aiohttp_client(create_app(replace(test_settings, widget_allowed_origins=(CITY_SITE,))))


async def test_an_allowed_site_gets_its_preflight_and_cors_answers(embedded, fake_rasa):
    preflight = await embedded.options(
        "/api/chat",
        headers={
            "Origin": CITY_SITE, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"
        },
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == CITY_SITE
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "Content-Type"
    assert "Access-Control-Allow-Credentials" not in preflight.headers  # no cookies cross sites
    message = {"sender": "abc", "message": "xin chào"}
    answer = await embedded.post("/api/chat", json=message, headers={"Origin": CITY_SITE})
    assert answer.status == 200
    assert answer.headers["Access-Control-Allow-Origin"] == CITY_SITE
    assert answer.headers["Vary"] == "Origin"
    config = await embedded.get("/api/widget", headers={"Origin": CITY_SITE})
    assert config.headers["Access-Control-Allow-Origin"] == CITY_SITE
    # An error answer is readable by the widget too.
    refused = await embedded.post("/api/chat", json={"sender": "abc"}, headers={"Origin": CITY_SITE})
    assert refused.status == 400 and refused.headers["Access-Control-Allow-Origin"] == CITY_SITE


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "https://hue.gov.vn.evil.example", "null", "http://hue.gov.vn"]
)
async def test_other_sites_are_refused_and_nothing_is_forwarded(embedded, fake_rasa, origin):
    preflight = await embedded.options("/api/chat", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers
    answer = await embedded.post("/api/chat", json={"sender": "abc", "message": "hi"}, headers={"Origin": origin})
    assert answer.status == 403
    assert (await answer.json())["code"] == "origin_not_allowed"
    assert fake_rasa.received == []


async def test_no_site_is_allowed_by_default(client, fake_rasa):
    answer = await client.post("/api/chat", json={"sender": "abc", "message": "hi"}, headers={"Origin": CITY_SITE})
    assert answer.status == 403


async def test_the_gateways_own_pages_need_no_cors(client, fake_rasa):
    own = f"http://{client.server.host}:{client.server.port}"
    answer = await client.post("/api/chat", json={"sender": "abc", "message": "hi"}, headers={"Origin": own})
    assert answer.status == 200
    assert "Access-Control-Allow-Origin" not in answer.headers
    plain = await client.post("/api/chat", json={"sender": "abc", "message": "hi"})  # curl: no Origin
    assert plain.status == 200


async def test_behind_a_proxy_the_public_address_is_the_gateways_own(aiohttp_client, test_settings, fake_rasa):
    client = await aiohttp_client(create_app(replace(test_settings, public_url="https://chat.hue.gov.vn")))
    answer = await client.post(
        "/api/chat", json={"sender": "abc", "message": "hi"}, headers={"Origin": "https://chat.hue.gov.vn"}
    )
    assert answer.status == 200


async def test_pages_and_scripts_are_not_under_cors(embedded):
    script = await embedded.get("/widget.js", headers={"Origin": "https://evil.example"})
    assert script.status == 200  # a <script src> needs no CORS; what it may call is decided above
