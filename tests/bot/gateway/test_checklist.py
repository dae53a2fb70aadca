"""GET /checklist/{code}: the printable, accessible checklist page built from the knowledge base."""
import re
from pathlib import Path

import pytest
import yaml

from knowledge import repository
from knowledge.checklists import seed_checklists
from knowledge.db import make_engine, make_session_factory
from knowledge.seed import SEED_DIR

RECORDS = Path(__file__).resolve().parents[2] / "data" / "procedures.yml"
QUERY = "birth_certificate=no&applicant=parent&channel=online&special=none"


@pytest.fixture
async def client(aiohttp_client, test_settings):
    from bot.gateway.app import create_app

    engine = make_engine(test_settings.database_url)
    with make_session_factory(engine)() as session, session.begin():
        for record in yaml.safe_load(RECORDS.read_text(encoding="utf-8")):
            repository.upsert_procedure(session, record, actor="test")
        seed_checklists(session, SEED_DIR / "checklists", actor="seed")
    engine.dispose()
    return await aiohttp_client(create_app(test_settings))


async def page(client, path: str) -> str:
    response = await client.get(path)
    assert response.status == 200
    assert response.content_type == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    return await response.text()


async def test_answers_give_the_papers_for_that_case_with_tick_boxes(client):
    html = await page(client, f"/checklist/1.001193?{QUERY}")

    assert '<html lang="vi">' in html
    assert "<h1>Danh sách giấy tờ của bạn</h1>" in html
    assert "Thủ tục đăng ký khai sinh (mã 1.001193)" in html
    assert "Văn bản của người làm chứng xác nhận về việc sinh" in html
    assert "Văn bản ủy quyền" not in html  # a parent registers
    assert "<dd>Không có Giấy chứng sinh</dd>" in html
    boxes = re.findall(r'<input type="checkbox" id="([a-z]+-\d+)"', html)
    labels = re.findall(r'<label for="([a-z]+-\d+)">', html)
    assert boxes and boxes == labels  # every tick box has its label
    assert "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7" in html
    assert "2026-11-28" in html and "1022" in html


async def test_page_has_print_css_and_no_inline_script_or_style(client):
    html = await page(client, f"/checklist/1.001193?{QUERY}")

    assert "<script" not in html and "style=" not in html and "<style" not in html
    stylesheet = re.search(r'href="(/static/checklist\.css\?v=[^"]+)"', html)
    assert stylesheet
    css = await (await client.get(stylesheet.group(1).replace("&amp;", "&"))).text()
    assert "@media print" in css


async def test_english_page_and_unanswered_questions_are_marked(client):
    html = await page(client, "/checklist/1.001193?lang=en")

    assert '<html lang="en">' in html and "<h1>Your list of papers</h1>" in html
    assert "<dd>Not answered</dd>" in html
    assert "Only if: Someone authorised by them" in html  # the authorisation, kept and marked


async def test_answers_that_are_not_options_are_ignored(client):
    html = await page(client, "/checklist/1.001193?birth_certificate=<script>&lang=fr")

    assert '<html lang="vi">' in html
    assert "<script>" not in html
    assert "<dd>Chưa trả lời</dd>" in html


async def test_procedure_without_checklist_lists_all_its_papers(client):
    html = await page(client, "/checklist/1.000894")

    assert "Tờ khai đăng ký kết hôn" in html and "Mẫu: Tờ khai đăng ký kết hôn (Mẫu TP/HT-2020-KH.1)" in html
    assert "Trường hợp của bạn" not in html  # no questions


@pytest.mark.parametrize("path", ["/checklist/9.999999", "/checklist/..%2F..%2Fetc", "/checklist/" + "1" * 40])
async def test_unknown_procedure_is_not_found(client, path):
    response = await client.get(path)
    assert response.status == 404


async def test_a_locked_knowledge_base_gives_a_polite_503_page(client, test_settings, locked_database):
    with locked_database(test_settings.database_url):
        response = await client.get(f"/checklist/1.001193?{QUERY}&lang=en")
        assert response.status == 503
        assert response.content_type == "text/html"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Retry-After"] == "60"
        html = await response.text()
    assert '<html lang="en">' in html and "This page cannot be shown right now" in html
    assert "Huế city hotline 1022" in html
    response = await client.get(f"/checklist/1.001193?{QUERY}")  # the lock released
    assert response.status == 200
