"""The staff admin in a real browser (issue 12): a clerk signs in, changes a fee, and the bot's next answer in
the chat gives the new fee, with no retraining and no restart; axe-core finds nothing serious on the pages.

A stack of its own (gateway 17300, Rasa 17305, actions 17355) with SESSION_SECRET set and one editor account;
the browser and what the tests need: conftest.py.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import replace

import pytest

from bot.stack import Stack, isolated_settings, prepare_knowledge
from knowledge import users
from knowledge.db import make_engine, make_session_factory

from .conftest import AXE, MODEL

pytestmark = pytest.mark.slow

PORT_BASE = 17300
GATEWAY = f"http://127.0.0.1:{PORT_BASE}"
USERNAME, PASSWORD = "lan.editor", secrets.token_urlsafe(16)
CODE = "1.001193"


@pytest.fixture(scope="module")
def admin_stack(browser_ready, tmp_path_factory):
    work = tmp_path_factory.mktemp("browser-admin")
    settings = replace(isolated_settings(work, port_base=PORT_BASE), public_url=GATEWAY)
    prepare_knowledge(settings)
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session, session.begin():
        users.create_user(session, USERNAME, PASSWORD, "editor", actor="test")
    engine.dispose()
    with pytest.MonkeyPatch.context() as environment:
        # The children get the supervisor's environment: the gateway mounts /admin only with a secret.
        environment.setitem(os.environ, "SESSION_SECRET", secrets.token_urlsafe(32))
        running = Stack(settings, MODEL, log_dir=work / "log")
        running.start()
        try:
            running.wait_ready(progress=lambda _: None)
            yield running
        finally:
            running.stop()


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A/AA and best practice)."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate(
        """async () => { const r = await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
           return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); }"""
    )
    return [finding for finding in results if finding["impact"] in ("serious", "critical")]


def ask(page, text: str) -> str:
    before = page.locator(".message.bot").count()
    page.locator("#hue-input").fill(text)
    page.locator("#hue-input").press("Enter")
    page.locator(".message.bot").nth(before).wait_for()
    page.wait_for_timeout(300)  # the rest of the answer's messages
    return "\n".join(page.locator(".message.bot").all_inner_texts()[before:])


def test_a_clerk_changes_a_fee_and_the_bot_gives_it(page, admin_stack):
    page.goto(f"{GATEWAY}/chat")
    page.locator("#hue-input").wait_for(state="visible")
    assert "45.000" not in ask(page, "lệ phí đăng ký khai sinh bao nhiêu")

    page.goto(f"{GATEWAY}/admin/procedures/{CODE}")
    assert axe_violations(page) == []  # the sign-in page
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Thủ tục đăng ký khai sinh").wait_for()
    assert axe_violations(page) == []  # the edit form
    channels = page.locator("fieldset").count()
    assert channels >= 1
    for i in range(channels):
        page.locator(f"[name='channel-{i}-fee_amount']").fill("45.000")
        page.locator(f"[name='channel-{i}-fee_unit']").fill("Đồng")
        page.locator(f"[name='channel-{i}-fees']").fill('[{"amount": 45000, "unit": "Đồng", "per": "lần"}]')
    page.get_by_label("Đã kiểm tra (ghi ngày hôm nay và tên bạn)").check()
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("status").filter(has_text="Đã lưu").wait_for()
    page.goto(f"{GATEWAY}/admin/procedures?q=khai+sinh")
    assert axe_violations(page) == []  # the list with its filters

    page.goto(f"{GATEWAY}/chat")
    page.locator("#hue-input").wait_for(state="visible")
    page.get_by_role("button", name="Cuộc trò chuyện mới").click()
    assert "45.000" in ask(page, "lệ phí đăng ký khai sinh bao nhiêu")
