"""The chat widget in a real browser (issue 11): embedded on another origin with one tag, a conversation in
Vietnamese with a button, history after a reload and a new conversation, keyboard only, a cut network without
a duplicate, XSS payloads that do not run, what stays visible at 360 px and 1280 px, and axe-core.

Fixtures (one stack, one browser, the other-origin sites for the module) and what the tests need: conftest.py.
"""
from __future__ import annotations

import json
import urllib.request

import pytest

from knowledge.settings import PROJECT_ROOT

GATEWAY = "http://127.0.0.1:17000"
AXE = PROJECT_ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
LAUNCHER = "Hỏi đáp thủ tục hành chính"
# The widget's shadow root, wherever it is mounted (launcher on a page, or the full-page /chat).
ROOT = "(document.getElementById('hue-assistant') || document.querySelector('.hue-assistant-page')).shadowRoot"

pytestmark = pytest.mark.slow


# ---------------------------------------------------------------- helpers


def open_widget(page, url: str):
    page.goto(url)
    page.get_by_role("button", name=LAUNCHER).click()
    page.locator("#hue-input").wait_for(state="visible")
    page.locator(".message.bot").first.wait_for()  # welcome or history drawn


def wait_for_reply(page, bots_before: int) -> None:
    page.wait_for_function(
        "n => { const root = " + ROOT + "; return root.querySelectorAll('.message.bot').length > n"
        " && !root.querySelector('.status').textContent; }",
        arg=bots_before,
    )


def ask(page, text: str):
    """Type `text`, press Enter, wait for the answer; the first new bot message."""
    before = page.locator(".message.bot").count()
    page.locator("#hue-input").fill(text)
    page.locator("#hue-input").press("Enter")
    wait_for_reply(page, before)
    return page.locator(".message.bot").nth(before)


def press(page, button) -> object:
    before = page.locator(".message.bot").count()
    button.click()
    wait_for_reply(page, before)
    return page.locator(".message.bot").nth(before)


def focused(page) -> dict | None:
    """The element that has the focus, looking inside shadow roots."""
    return page.evaluate(
        """() => { let el = document.activeElement;
                   while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
                   return el && {id: el.id, className: String(el.className), tag: el.tagName,
                                 text: el.textContent, disabled: !!el.disabled}; }"""
    )


def box(page, selector: str, index: int = -1) -> dict:
    return page.evaluate(
        "([s, i]) => { const all = " + ROOT + ".querySelectorAll(s); const el = all[i < 0 ? all.length + i : i];"
        " const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }",
        [selector, index],
    )


def newest_answer_box(page) -> dict:
    """Where the first message of the newest answer (after the citizen's last message) is on the screen."""
    return page.evaluate(
        "() => { const messages = [..." + ROOT + ".querySelectorAll('.message')];"
        " const last = messages.map(m => m.classList.contains('user')).lastIndexOf(true);"
        " const r = messages[last + 1].getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"
    )


def live_choices(page) -> tuple[int, int]:
    """(buttons enabled, buttons in the bot messages after the citizen's last message): only those are live."""
    return tuple(page.evaluate(
        "() => { const messages = [..." + ROOT + ".querySelectorAll('.message')];"
        " const last = messages.map(m => m.classList.contains('user')).lastIndexOf(true);"
        " const newest = messages.slice(last + 1).reduce((n, m) => n + m.querySelectorAll('.choice').length, 0);"
        " const enabled = [..." + ROOT + ".querySelectorAll('.choice')].filter(b => !b.disabled).length;"
        " return [enabled, newest]; }"
    ))


def user_texts(page) -> list[str]:
    return page.locator(".message.user .text").all_inner_texts()


def history(sender: str) -> list[dict]:
    """What the gateway draws again for `sender` (the tracker, read through POST /api/history)."""
    request = urllib.request.Request(
        GATEWAY + "/api/history", data=json.dumps({"sender": sender}).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["messages"]


def stored_sender(page) -> str:
    return page.evaluate(f"() => JSON.parse(localStorage.getItem('hue-assistant@{GATEWAY}')).sender")


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


# ---------------------------------------------------------------- the tests


def test_one_script_tag_embeds_the_widget_on_another_origin(page, sites):
    page.goto(sites["city"])
    assert page.evaluate("() => location.origin") == sites["city"] != GATEWAY
    assert page.evaluate("() => [...document.scripts].map(s => s.src)") == [GATEWAY + "/widget.js"]
    launcher = page.get_by_role("button", name=LAUNCHER)
    launcher.wait_for()
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    dialog = page.get_by_role("dialog", name="Trợ lý dịch vụ công Huế")
    dialog.wait_for()
    assert focused(page)["id"] == "hue-input"  # focus goes into the panel
    # Welcome and starter buttons: the most asked procedures and the online-submission coach.
    starters = page.get_by_role("group", name="Thủ tục được hỏi nhiều").get_by_role("button")
    titles = starters.all_inner_texts()
    assert len(titles) >= 3 and titles[-1] == "Hướng dẫn nộp hồ sơ trực tuyến"
    # The host page's own styles and the widget's do not mix: the panel uses its stylesheet from the gateway.
    assert page.evaluate(f"() => {ROOT}.querySelector('link').href").startswith(GATEWAY + "/static/widget.css")


def test_a_site_that_is_not_allowed_gets_no_chat(page, sites):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(sites["other"])
    page.wait_for_timeout(1500)
    assert page.get_by_role("button", name=LAUNCHER).count() == 0
    assert any("could not start" in text for text in messages)


def test_ask_in_vietnamese_and_press_a_button(page, sites):
    open_widget(page, sites["city"])
    answer = ask(page, "lam giay khai sinh can giay to gi")
    text = answer.inner_text()
    assert "1.001193" in text and "Giấy chứng sinh" in text
    # Lists are lists, and links carry a name, not a raw URL.
    assert answer.locator("li").count() >= 1
    link = answer.locator("a[href^='https://dichvucong.gov.vn/']").first
    assert "Cổng Dịch vụ công" in link.inner_text() and "https://" not in text
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    assert not page.get_by_role("group", name="Thủ tục được hỏi nhiều").get_by_role("button").first.is_enabled()
    fee_button = page.locator(".choice:enabled", has_text="Lệ phí").last.element_handle()
    fee = press(page, fee_button)
    assert "1.001193" in fee.inner_text()
    assert fee_button.get_attribute("aria-pressed") == "true" and not fee_button.is_enabled()
    # Buttons of earlier answers are out of date; the newest answer's are live.
    enabled, newest = live_choices(page)
    assert enabled == newest > 0
    assert user_texts(page) == ["lam giay khai sinh can giay to gi", "Lệ phí"]
    # 👍/👎 on every answer; 👎 asks, optionally, what was wrong.
    page.locator(".message.bot").last.get_by_role("button", name="Chưa đúng").click()
    comment = page.get_by_label("Điều gì chưa đúng? (không bắt buộc)")
    comment.wait_for()
    assert focused(page)["tag"] == "TEXTAREA"
    comment.fill("Phí có thay đổi không? Gọi tôi 0905 123 456")
    page.get_by_role("button", name="Gửi góp ý").click()
    page.get_by_text("Đã nhận góp ý của bạn. Cảm ơn bạn!").wait_for()
    # "Gặp nhân viên" always gives the hotlines and their hours.
    page.get_by_role("button", name="Gặp nhân viên").click()
    staff = page.locator(".message.staff").last
    staff.wait_for()
    assert staff.locator("a[href='tel:1022']").count() == 1 and staff.locator("a[href='tel:18001096']").count() == 1
    assert "Giờ hành chính" in staff.inner_text()


def test_reload_draws_the_history_and_a_new_conversation_starts_over(page, context, sites):
    open_widget(page, sites["city"])
    ask(page, "đổi gplx ở đâu")
    ask(page, "lệ phí bao nhiêu?")
    said = user_texts(page)
    bots = page.locator(".message.bot").count() - 1  # without the welcome, which is not the bot's
    sender = stored_sender(page)

    page.reload()  # the panel was open: it opens again, with the conversation so far
    page.locator(".message.user").first.wait_for()
    assert user_texts(page) == said
    assert page.locator(".message.bot").count() == bots
    assert page.locator(".welcome").count() == 0
    enabled, newest_buttons = live_choices(page)
    assert enabled == newest_buttons
    newest = newest_answer_box(page)
    log = box(page, ".log")
    assert log["top"] - 1 <= newest["top"] < log["bottom"]  # the newest answer shown from its start

    other_tab = context.new_page()  # a new tab: the same conversation
    open_widget(other_tab, sites["city"])
    other_tab.locator(".message.user").first.wait_for()
    assert user_texts(other_tab) == said
    other_tab.close()

    page.get_by_role("button", name="Cuộc trò chuyện mới").click()
    assert page.locator(".message.user").count() == 0 and page.locator(".welcome").count() == 1
    assert stored_sender(page) != sender
    assert focused(page)["id"] == "hue-input"
    page.reload()
    page.locator(".welcome").wait_for()
    assert page.locator(".message.user").count() == 0
    assert [m["text"] for m in history(sender) if m["from"] == "user"] == said  # the old one is kept, not shown


def test_idle_browser_starts_fresh(page, sites):
    open_widget(page, sites["city"])
    ask(page, "cấp lại căn cước")
    sender = stored_sender(page)
    # Pretend the browser was left for 31 minutes (the default WIDGET_IDLE_MINUTES is 30).
    page.evaluate(
        f"""() => {{ const key = 'hue-assistant@{GATEWAY}'; const saved = JSON.parse(localStorage.getItem(key));
                    saved.last = Date.now() - 31 * 60000; localStorage.setItem(key, JSON.stringify(saved)); }}"""
    )
    page.reload()
    page.get_by_role("button", name=LAUNCHER).click()
    page.locator(".welcome").wait_for()
    assert page.locator(".message.user").count() == 0 and stored_sender(page) != sender


def test_a_whole_conversation_with_the_keyboard_only(page, sites):
    page.goto(sites["city"])
    page.get_by_role("button", name=LAUNCHER).wait_for()
    for _ in range(10):  # Tab through the host page to the launcher
        page.keyboard.press("Tab")
        if LAUNCHER in (focused(page) or {}).get("text", ""):
            break
    assert "launcher" in focused(page)["className"]
    page.keyboard.press("Enter")
    page.locator(".welcome").wait_for()
    assert focused(page)["id"] == "hue-input"
    before = page.locator(".message.bot").count()
    page.keyboard.type("lệ phí đăng ký kết hôn")
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    assert focused(page)["id"] == "hue-input"
    # Back (Shift+Tab) to the newest answer's buttons, and press one with the space bar.
    for _ in range(25):
        page.keyboard.press("Shift+Tab")
        now = focused(page)
        if "choice" in now["className"] and not now["disabled"]:
            break
    assert "choice" in focused(page)["className"]
    chosen = focused(page)["text"]
    before = page.locator(".message.bot").count()
    page.keyboard.press(" ")
    wait_for_reply(page, before)
    assert user_texts(page)[-1] == chosen
    assert focused(page)["id"] == "hue-input"  # the pressed button is disabled: focus goes back to typing
    page.keyboard.press("Escape")
    assert page.get_by_role("dialog").count() == 0
    assert "launcher" in focused(page)["className"]  # focus back where it was before opening


def test_a_cut_network_loses_nothing_and_sends_nothing_twice(page, context, sites):
    open_widget(page, sites["city"])
    question = "thủ tục đăng ký kết hôn cần giấy tờ gì"
    context.set_offline(True)
    page.locator("#hue-input").fill(question)
    page.locator("#hue-input").press("Enter")
    retry = page.get_by_role("button", name="Thử lại")
    retry.wait_for()
    assert "kết nối mạng" in page.get_by_role("alert").inner_text()
    assert page.locator("#hue-input").input_value() == question  # what was typed is kept
    assert page.locator(".message.user").count() == 0
    context.set_offline(False)
    before = page.locator(".message.bot").count()
    retry.click()
    wait_for_reply(page, before)
    assert user_texts(page) == [question]
    assert page.locator("#hue-input").input_value() == ""

    # The worse case: the message reached the gateway and Rasa, and the answer was lost on the way back.
    lost = "lệ phí bao nhiêu?"

    def answer_lost(route):
        route.fetch()  # the gateway gets it and answers...
        route.abort("connectionreset")  # ...and the browser never sees the answer

    page.route(GATEWAY + "/api/chat", answer_lost)
    page.locator("#hue-input").fill(lost)
    page.locator("#hue-input").press("Enter")
    page.get_by_role("button", name="Thử lại").wait_for()
    page.unroute(GATEWAY + "/api/chat")
    before = page.locator(".message.bot").count()
    page.locator("#hue-input").press("Enter")  # sent again as it was: the same client id
    wait_for_reply(page, before)
    assert user_texts(page) == [question, lost]
    said = [m["text"] for m in history(stored_sender(page)) if m["from"] == "user"]
    assert said == [question, lost]  # Rasa got it once


def test_a_message_over_the_limit_is_not_cut_silently(page, sites):
    open_widget(page, sites["city"])
    pasted = "làm giấy khai sinh cho con " * 40  # 1,080 characters, over MAX_MESSAGE_CHARS (1,000)
    page.locator("#hue-input").fill(pasted)
    counter = page.locator("#hue-counter")
    assert counter.is_visible() and counter.inner_text().startswith(f"{len(pasted)}/1000")
    assert page.locator("#hue-input").get_attribute("aria-invalid") == "true"
    page.locator("#hue-input").press("Enter")
    assert "1000" in page.get_by_role("alert").inner_text()
    assert page.locator("#hue-input").input_value() == pasted  # all of it, to shorten
    assert page.locator(".message.user").count() == 0


XSS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    '"><svg onload="window.__xss = 3">',
    "javascript:window.__xss = 4",
    "[bấm vào đây](javascript:window.__xss=5)",
    "**<iframe src=javascript:window.__xss=6>**",
    '<a href="javascript:window.__xss=7">lệ phí</a>',
    "https://example.com/\"onmouseover=\"window.__xss=8\"",
    "<details open ontoggle=window.__xss=9>",
    "{{constructor.constructor('window.__xss=10')()}} <style>*{display:none}</style>",
]


def _no_markup_ran(page) -> None:
    assert page.evaluate("() => window.__xss") is None
    assert page.dialogs == []
    found = page.evaluate(
        f"""() => {{ const root = {ROOT};
                     const log = root.querySelector('.log');
                     return {{ elements: log.querySelectorAll('script, img, svg, iframe, details, style').length,
                               scripted: [...root.querySelectorAll('a')]
                                 .filter(a => !/^(https?|tel):/.test(a.href)).length,
                               handlers: [...root.querySelectorAll('*')]
                                 .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length }}; }}"""
    )
    assert found == {"elements": 0, "scripted": 0, "handlers": 0}


def test_xss_payloads_do_not_run(page, sites):
    open_widget(page, sites["city"])
    for payload in XSS:  # typed by the citizen, answered by the real bot
        ask(page, payload)
    assert user_texts(page) == XSS
    page.mouse.move(300, 300)
    _no_markup_ran(page)
    page.reload()  # drawn again from the tracker
    page.locator(".message.user").first.wait_for()
    assert page.locator(".message.user").count() == len(XSS)
    _no_markup_ran(page)

    # And as the bot's own words, buttons and links (a reply crafted in place of the gateway's).
    reply = {"messages": [{"text": "\n".join(XSS), "buttons": [{"title": p, "payload": "/ask_fee"} for p in XSS[:3]]}]}
    page.route(GATEWAY + "/api/chat", lambda route: route.fulfill(json=reply))
    answer = ask(page, "xin chào")
    page.unroute(GATEWAY + "/api/chat")
    assert XSS[0] in answer.inner_text() and answer.locator(".choice").count() == 3
    answer.locator(".choice").first.hover()
    _no_markup_ran(page)


@pytest.mark.parametrize(
    "width, height, name", [(320, 568, "320"), (360, 740, "360"), (1280, 800, "1280"), (640, 400, "1280-zoom-200")]
)
def test_the_newest_message_and_the_input_stay_visible(browser, sites, artifacts, width, height, name):
    """A phone, a desktop, and a desktop at 200 % zoom (1280×800 CSS pixels halved)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    try:
        page = context.new_page()
        open_widget(page, sites["city"])
        page.screenshot(path=str(artifacts / f"widget-{name}-welcome.png"))
        ask(page, "lam giay khai sinh can giay to gi")  # a long answer with buttons
        newest = newest_answer_box(page)
        log = box(page, ".log")
        composer = box(page, "textarea#hue-input")
        send = box(page, "button.send")
        assert log["top"] - 1 <= newest["top"] < log["bottom"], (newest, log)
        for part in (composer, send):
            assert 0 <= part["top"] and part["bottom"] <= height and 0 <= part["left"] and part["right"] <= width
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scrolling
        page.screenshot(path=str(artifacts / f"widget-{name}.png"))
        if width == 360:  # the full-page chat (another origin than the city site: a conversation of its own)
            page.goto(GATEWAY + "/chat")
            page.locator(".welcome").wait_for()
            ask(page, "đổi gplx ở đâu")
            newest, log = newest_answer_box(page), box(page, ".log")
            assert log["top"] - 1 <= newest["top"] < log["bottom"], (newest, log)
            assert box(page, "textarea#hue-input")["bottom"] <= height
            page.screenshot(path=str(artifacts / "chat-page-360.png"))
    finally:
        context.close()


def test_axe_finds_nothing_serious_on_the_pages_and_in_the_open_widget(page, sites, artifacts):
    page.goto(GATEWAY + "/")
    page.get_by_role("button", name=LAUNCHER).wait_for()
    assert axe_violations(page) == []
    open_widget(page, GATEWAY + "/")
    answer = ask(page, "lam giay khai sinh can giay to gi")
    answer.get_by_role("button", name="Chưa đúng").click()
    page.get_by_label("Điều gì chưa đúng? (không bắt buộc)").wait_for()
    page.get_by_role("button", name="Gặp nhân viên").click()
    page.screenshot(path=str(artifacts / "widget-feedback-staff-1280.png"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Cỡ chữ: vừa").click()
    page.get_by_role("button", name="Switch to English / Chuyển sang tiếng Anh").click()
    page.get_by_role("button", name="Text size: large").wait_for()
    page.screenshot(path=str(artifacts / "widget-english-large-1280.png"))
    assert axe_violations(page) == []
    page.goto(GATEWAY + "/chat")
    page.locator(".message.bot").first.wait_for()
    assert axe_violations(page) == []
    open_widget(page, sites["city"])  # on the city site too
    assert axe_violations(page) == []


def test_english_switch_changes_the_interface_and_tells_the_bot(page, sites):
    open_widget(page, sites["city"])
    page.get_by_role("button", name="Switch to English / Chuyển sang tiếng Anh").click()
    page.get_by_role("button", name="New conversation").wait_for()
    assert page.get_by_label("Your question").count() == 1
    assert page.evaluate(f"() => {ROOT}.querySelector('.hue-widget').lang") == "en"
    starter = page.get_by_role("group", name="Most asked procedures").get_by_role("button").first
    answer = press(page, starter)  # a button: its language is the one chosen
    assert "code" in answer.inner_text()
