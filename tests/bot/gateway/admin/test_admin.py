"""/admin: sign-in, roles, CSRF, the procedure list and edit form, vocabulary, the audit log."""
from __future__ import annotations

import logging
from dataclasses import replace

import pytest
import sqlalchemy as sa

from bot.gateway.admin.app import create_admin_app
from bot.gateway.app import create_app
from knowledge import guides, repository
from knowledge.seed import SEED_DIR
from knowledge.models import AuditLog, Office, Vocabulary, Ward

from .conftest import PASSWORD, sign_in, token_in, version_in

PAGES = ["/admin/", "/admin/procedures", "/admin/procedures/1.001193", "/admin/vocabulary", "/admin/audit",
         "/admin/accounts", "/admin/offices", "/admin/offices/1", "/admin/guides", "/admin/guides/1",
         "/admin/procedures/new"]
POSTS = ["/admin/procedures/1.001193", "/admin/vocabulary", "/admin/vocabulary/delete", "/admin/logout",
         "/admin/accounts", "/admin/accounts/an.editor", "/admin/offices/1", "/admin/guides/1",
         "/admin/procedures/new", "/admin/procedures/1.001193/delete"]
CODE = "1.001193"


def edit_form(html: str, **changes) -> dict:
    """The edit form of the test procedure as the browser sends it (3 channels, all free), with `changes`."""
    form = {"csrf_token": token_in(html), "version": version_in(html), "aliases": "làm giấy khai sinh\nkhai sinh"}
    for i in range(3):
        form.update({f"channel-{i}-time_value": "1", f"channel-{i}-time_unit": "Ngày làm việc",
                     f"channel-{i}-fee_amount": "0", f"channel-{i}-fee_unit": "", f"channel-{i}-fees": "[]"})
    form.update(changes)
    return form


async def open_form(client) -> str:
    response = await client.get(f"/admin/procedures/{CODE}")
    assert response.status == 200
    return await response.text()


# --- the admin is off without a secret ------------------------------------------------------------------

async def test_without_session_secret_the_admin_is_off(client):
    response = await client.get("/admin/login")
    assert response.status == 503
    assert "SESSION_SECRET" in await response.text()


def test_a_short_secret_is_refused(admin_settings):
    with pytest.raises(ValueError, match="SESSION_SECRET"):
        create_admin_app(replace(admin_settings, session_secret="short"))


async def test_admin_without_slash_goes_to_the_admin(admin_client):
    response = await admin_client.get("/admin", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/admin/"


# --- signing in ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
async def test_pages_without_login_go_to_the_login_page(admin_client, path):
    response = await admin_client.get(path, allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"].startswith("/admin/login?next=")


@pytest.mark.parametrize("path", POSTS)
async def test_posts_without_login_get_401(admin_client, path):
    response = await admin_client.post(path, data={"csrf_token": "x"}, allow_redirects=False)
    assert response.status == 401


async def test_sign_in_sets_a_strict_httponly_cookie_and_goes_where_asked(admin_client):
    page = await admin_client.get("/admin/login?next=/admin/audit")
    html = await page.text()
    response = await admin_client.post("/admin/login", allow_redirects=False, data={
        "username": "an.editor", "password": PASSWORD, "csrf_token": token_in(html), "next": "/admin/audit"})
    assert response.status == 302 and response.headers["Location"] == "/admin/audit"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # PUBLIC_URL is http here
    assert (await admin_client.get("/admin/audit")).status == 200


async def test_the_cookie_is_secure_when_public_url_is_https(aiohttp_client, admin_settings):
    client = await aiohttp_client(create_app(replace(admin_settings, public_url="https://chat.hue.gov.vn")))
    response = await client.get("/admin/login")
    assert "Secure" in response.headers["Set-Cookie"]


async def test_sign_in_never_goes_to_another_site(admin_client):
    html = await (await admin_client.get("/admin/login")).text()
    response = await admin_client.post("/admin/login", allow_redirects=False, data={
        "username": "an.editor", "password": PASSWORD, "csrf_token": token_in(html), "next": "//evil.example/"})
    assert response.headers["Location"] == "/admin/"


async def test_sign_in_without_csrf_token_is_refused(admin_client):
    response = await admin_client.post("/admin/login", data={"username": "an.admin", "password": PASSWORD})
    assert response.status == 403


async def test_a_wrong_password_is_refused_and_logged(admin_client, caplog):
    with caplog.at_level(logging.WARNING):
        response = await sign_in(admin_client, "an.admin", "wrong password!!", expect=401)
    assert "không đúng" in await response.text()
    assert "failed sign-in of 'an.admin'" in caplog.text
    await sign_in(admin_client, "nobody", PASSWORD, expect=401)


async def test_repeated_failures_lock_the_username_even_with_the_right_password(admin_client, caplog):
    for _ in range(5):
        await sign_in(admin_client, "an.admin", "wrong password!!", expect=401)
    with caplog.at_level(logging.WARNING):
        response = await sign_in(admin_client, "an.admin", PASSWORD, expect=429)
    assert "thử lại sau" in await response.text()
    assert "locked" in caplog.text


async def test_logout_ends_the_session(admin_client):
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get("/admin/procedures")).text()
    response = await admin_client.post("/admin/logout", data={"csrf_token": token_in(html)}, allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/admin/login"
    assert (await admin_client.get("/admin/procedures", allow_redirects=False)).status == 302


async def test_a_disabled_account_is_signed_out_at_once(admin_client, db):
    await sign_in(admin_client, "an.editor")
    with db() as session, session.begin():
        session.execute(sa.text("UPDATE users SET active = 0 WHERE username = 'an.editor'"))
    assert (await admin_client.get("/admin/procedures", allow_redirects=False)).status == 302


# --- roles and CSRF -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
async def test_a_trainer_may_not_open_the_admin(admin_client, path):
    await sign_in(admin_client, "an.trainer")
    assert (await admin_client.get(path, allow_redirects=False)).status == 403


async def test_a_trainer_may_not_save(admin_client):
    await sign_in(admin_client, "an.editor")
    form = edit_form(await open_form(admin_client), **{"channel-0-fee_amount": "50000",
                                                          "channel-0-fee_unit": "Đồng"})
    await sign_in(admin_client, "an.trainer")
    form["csrf_token"] = token_in(await (await admin_client.get("/admin/login")).text())
    response = await admin_client.post(f"/admin/procedures/{CODE}", data=form, allow_redirects=False)
    assert response.status == 403


@pytest.mark.parametrize("path", POSTS)
async def test_posts_without_csrf_token_get_403(admin_client, path, db):
    await sign_in(admin_client, "an.admin")
    response = await admin_client.post(path, data={"phrase": "lấy chồng", "term": "kết hôn"}, allow_redirects=False)
    assert response.status == 403
    wrong = await admin_client.post(path, data={"csrf_token": "guessed"}, allow_redirects=False)
    assert wrong.status == 403
    with db() as session:
        assert session.execute(sa.select(Vocabulary)).first() is None


# --- procedures ---------------------------------------------------------------------------------------------

async def test_the_list_searches_without_accents_and_filters(admin_client, db):
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get("/admin/procedures?q=khai+sinh")).text()
    assert CODE in html and "1.000894" not in html
    with db() as session, session.begin():
        repository.upsert_procedure(session, {"code": "1.000894", "flags": [{"field": "fee", "reason": "x"}],
                                              **_required(session, "1.000894")}, actor="test")
    flagged = await (await admin_client.get("/admin/procedures?flagged=yes")).text()
    assert "1.000894" in flagged and CODE not in flagged
    # The test records were checked on 2026-11-28.
    assert CODE in await (await admin_client.get("/admin/procedures?verified=yes")).text()
    assert CODE not in await (await admin_client.get("/admin/procedures?verified=no")).text()
    with db() as session, session.begin():
        repository.upsert_procedure(session, {"code": CODE, "verified_on": "2020-01-01", **_required(session, CODE)},
                                    actor="test")
    assert CODE in await (await admin_client.get("/admin/procedures?not_verified_days=30")).text()
    assert CODE not in await (await admin_client.get("/admin/procedures?not_verified_days=36500")).text()
    assert CODE not in await (await admin_client.get("/admin/procedures?level=ministry")).text()
    online = await (await admin_client.get("/admin/procedures?online=yes")).text()
    assert CODE in online and "1.004884" not in online
    assert CODE not in await (await admin_client.get("/admin/procedures?online=no")).text()


def _required(session, code: str) -> dict:
    record = repository.procedure_to_record(repository.get_procedure(session, code))
    return {"name": record["name"], "level": record["level"]}


async def test_saving_a_fee_changes_the_record_and_writes_the_audit(admin_client, db):
    await sign_in(admin_client, "an.editor")
    form = edit_form(await open_form(admin_client), **{
        "channel-2-fee_amount": "50.000", "channel-2-fee_unit": "Đồng", "channel-2-time_value": "3",
        "channel-2-fees": '[{"amount": 50000, "unit": "Đồng", "per": "lần"}]', "verified": "1"})
    response = await admin_client.post(f"/admin/procedures/{CODE}", data=form, allow_redirects=False)
    assert response.status == 302, await response.text()
    assert "Đã lưu" in await (await admin_client.get(response.headers["Location"])).text()
    with db() as session:
        procedure = repository.get_procedure(session, CODE)
        channel = procedure.channels[2]
        assert (channel.fee_amount, channel.fee_unit, channel.time_value) == (50000, "Đồng", 3)
        assert channel.fees[0]["amount"] == 50000 and channel.fees[0]["per"] == "lần"
        assert procedure.verified_by == "an.editor" and procedure.verified_on is not None
        assert procedure.updated_by == "an.editor" and "channels" in procedure.edited_fields
        entry = session.execute(sa.select(AuditLog).where(AuditLog.actor == "an.editor")).scalar_one()
        assert entry.action == "procedure.update" and entry.target == f"procedure:{CODE}"
        assert entry.before["channels"][2]["fee_amount"] == 0 and entry.after["channels"][2]["fee_amount"] == 50000


@pytest.mark.parametrize("changes, message", [
    ({"channel-0-fee_amount": "năm chục"}, "lệ phí phải là số tiền nguyên"),
    ({"channel-0-fee_amount": "50000"}, "lệ phí cần có đơn vị"),
    ({"channel-0-time_value": "ba"}, "thời hạn phải là một số"),
    ({"channel-0-time_unit": ""}, "thời hạn cần có đơn vị"),
    ({"channel-0-fees": "[{"}, "không đọc được"),
    ({"channel-0-fees": "{}"}, "phải là một danh sách"),
    ({"channel-0-fees": '[{"amount": 5000}]'}, "fees[1].unit: an amount needs its unit"),
    ({"channel-0-fees": '[{"amount": 5000, "unit": "Đồng", "valid_until": "31/12/2026"}]'},
     "valid_until: must be a date YYYY-MM-DD"),
    ({"official_url": "http://dichvucong.gov.vn/x"}, "phải là một địa chỉ https://"),
    ({"official_url": "javascript:alert(1)"}, "phải là một địa chỉ https://"),
    ({"documents": "[{"}, "Danh sách giấy tờ (JSON) không đọc được"),
    ({"documents": '{"name": "x"}'}, "phải là một danh sách"),
    ({"documents": '[{"name": "", "kind": "submit"}]'}, "documents[1].name: required"),
    ({"documents": '[{"name": "Tờ khai", "kind": "gửi"}]'}, "documents[1].kind: must be one of submit, present"),
])
async def test_invalid_values_are_explained_and_nothing_is_saved(admin_client, db, changes, message):
    await sign_in(admin_client, "an.editor")
    response = await admin_client.post(f"/admin/procedures/{CODE}", data=edit_form(await open_form(admin_client),
                                                                                   **changes))
    assert response.status == 400
    html = await response.text()
    assert message in html
    assert 'role="alert"' in html
    with db() as session:
        assert session.execute(sa.select(AuditLog).where(AuditLog.actor == "an.editor")).first() is None


async def test_a_stale_edit_is_refused_and_the_first_save_kept(admin_client, db):
    await sign_in(admin_client, "an.editor")
    html = await open_form(admin_client)
    first = edit_form(html, **{"channel-0-fee_amount": "10000", "channel-0-fee_unit": "Đồng"})
    second = edit_form(html, **{"channel-0-fee_amount": "20000", "channel-0-fee_unit": "Đồng"})
    assert (await admin_client.post(f"/admin/procedures/{CODE}", data=first, allow_redirects=False)).status == 302
    response = await admin_client.post(f"/admin/procedures/{CODE}", data=second, allow_redirects=False)
    assert response.status == 409
    assert "Chưa lưu: an.editor đã sửa thủ tục này" in await response.text()
    with db() as session:
        assert repository.get_procedure(session, CODE).channels[0].fee_amount == 10000


def test_of_two_saves_of_one_version_only_one_wins(admin_settings, db):
    with db() as session:
        version = repository.procedure_version(repository.get_procedure(session, CODE))
    with db() as session, session.begin():
        repository.edit_procedure(session, CODE, {"aliases": ["một"]}, "an", version)
    with pytest.raises(repository.StaleEdit), db() as session, session.begin():
        repository.edit_procedure(session, CODE, {"aliases": ["hai"]}, "binh", version)


async def test_an_unknown_procedure_is_404(admin_client):
    await sign_in(admin_client, "an.editor")
    assert (await admin_client.get("/admin/procedures/9.999999")).status == 404


async def test_pages_escape_what_they_show(admin_client, db):
    with db() as session, session.begin():
        repository.upsert_procedure(session, {"code": CODE, "aliases": ["<script>alert(1)</script>"],
                                              **_required(session, CODE)}, actor="test")
    await sign_in(admin_client, "an.editor")
    html = await open_form(admin_client)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


# --- vocabulary and audit -----------------------------------------------------------------------------------

async def test_vocabulary_entries_are_added_and_audited(admin_client, db):
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get("/admin/vocabulary")).text()
    response = await admin_client.post("/admin/vocabulary", allow_redirects=False,
                                       data={"csrf_token": token_in(html), "phrase": "lấy  chồng", "term": "kết hôn"})
    assert response.status == 302
    assert "lấy chồng" in await (await admin_client.get("/admin/vocabulary?q=lay+chong")).text()
    with db() as session:
        assert repository.vocabulary(session) == {"lấy chồng": "kết hôn"}
        entry = session.execute(sa.select(AuditLog).where(AuditLog.action == "vocabulary.create")).scalar_one()
        assert entry.actor == "an.editor"
    missing = await admin_client.post("/admin/vocabulary", data={"csrf_token": token_in(html), "phrase": "x"})
    assert missing.status == 400 and "Cần nhập cả" in await missing.text()


async def test_the_audit_page_lists_and_filters_and_cannot_change_entries(admin_client):
    await sign_in(admin_client, "an.admin")
    html = await (await admin_client.get("/admin/audit?action=procedure.")).text()
    assert "procedure.create" in html and f"procedure:{CODE}" in html and "user.create" not in html
    html = await (await admin_client.get("/admin/audit?target=user:an.trainer")).text()
    assert "user.create" in html and "procedure.create" not in html
    assert "password" not in html
    assert (await admin_client.post("/admin/audit", data={"csrf_token": "x"})).status == 405


# --- accounts (admins only) ---------------------------------------------------------------------------------

async def test_an_editor_may_not_manage_accounts(admin_client):
    await sign_in(admin_client, "an.editor")
    assert (await admin_client.get("/admin/accounts")).status == 403
    html = await (await admin_client.get("/admin/procedures")).text()
    assert "/admin/accounts" not in html
    response = await admin_client.post("/admin/accounts", data={
        "csrf_token": token_in(html), "username": "mallory", "password": PASSWORD, "role": "admin"})
    assert response.status == 403


async def test_an_admin_creates_an_account_that_can_sign_in(admin_client, db):
    await sign_in(admin_client, "an.admin")
    html = await (await admin_client.get("/admin/accounts")).text()
    assert "an.trainer" in html
    short = await admin_client.post("/admin/accounts", data={
        "csrf_token": token_in(html), "username": "lan", "password": "short", "role": "editor"})
    assert short.status == 400 and "at least 12" in await short.text()
    response = await admin_client.post("/admin/accounts", allow_redirects=False, data={
        "csrf_token": token_in(html), "username": "lan", "password": PASSWORD, "role": "editor"})
    assert response.status == 302
    with db() as session:
        entry = session.execute(sa.select(AuditLog).where(AuditLog.target == "user:lan")).scalar_one()
        assert entry.actor == "an.admin" and entry.after["role"] == "editor"
    await sign_in(admin_client, "lan")


async def test_an_admin_changes_roles_but_never_leaves_no_admin(admin_client):
    await sign_in(admin_client, "an.admin")
    html = await (await admin_client.get("/admin/accounts")).text()
    demoted = await admin_client.post("/admin/accounts/an.editor", allow_redirects=False,
                                      data={"csrf_token": token_in(html), "role": "trainer", "active": "1"})
    assert demoted.status == 302
    last = await admin_client.post("/admin/accounts/an.admin",
                                   data={"csrf_token": token_in(html), "role": "editor", "active": "1"})
    assert last.status == 400 and "last active admin" in await last.text()
    await sign_in(admin_client, "an.editor")
    assert (await admin_client.get("/admin/procedures")).status == 403  # a trainer now


async def test_steps_link_and_documents_by_case_are_saved(admin_client, db):
    await sign_in(admin_client, "an.editor")
    form = edit_form(await open_form(admin_client), **{
        "official_url": "https://dichvucong.gov.vn/p/khai-sinh", "steps": "Nộp hồ sơ\n\nNhận kết quả",
        "documents": '[{"name": "Tờ khai đăng ký khai sinh", "form": "Mẫu TP/HT-2020-KS.1"},'
                     ' {"name": "Văn bản ủy quyền", "case": "Người được ủy quyền đi đăng ký"}]'})
    response = await admin_client.post(f"/admin/procedures/{CODE}", data=form, allow_redirects=False)
    assert response.status == 302, await response.text()
    with db() as session:
        procedure = repository.get_procedure(session, CODE)
        assert procedure.official_url == "https://dichvucong.gov.vn/p/khai-sinh"
        assert procedure.steps == ["Nộp hồ sơ", "Nhận kết quả"]
        assert [(d.name, d.case, d.kind) for d in procedure.documents] == [
            ("Tờ khai đăng ký khai sinh", "", "submit"),
            ("Văn bản ủy quyền", "Người được ủy quyền đi đăng ký", "submit")]


async def test_a_form_without_documents_leaves_them_as_they_are(admin_client, db):
    with db() as session:
        before = len(repository.get_procedure(session, CODE).documents)
    await sign_in(admin_client, "an.editor")
    form = edit_form(await open_form(admin_client), **{"channel-0-time_value": "2"})
    assert (await admin_client.post(f"/admin/procedures/{CODE}", data=form, allow_redirects=False)).status == 302
    with db() as session:
        assert len(repository.get_procedure(session, CODE).documents) == before > 0


async def test_a_vocabulary_entry_is_removed_and_audited(admin_client, db):
    with db() as session, session.begin():
        repository.upsert_vocabulary(session, "lấy vợ", "kết hôn", actor="test")
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get("/admin/vocabulary")).text()
    assert "lấy vợ" in html
    response = await admin_client.post("/admin/vocabulary/delete", allow_redirects=False,
                                       data={"csrf_token": token_in(html), "phrase": "lấy vợ"})
    assert response.status == 302
    with db() as session:
        assert repository.vocabulary(session) == {}
        entry = session.execute(sa.select(AuditLog).where(AuditLog.action == "vocabulary.delete")).scalar_one()
        assert entry.actor == "an.editor" and entry.before == {"phrase": "lấy vợ", "term": "kết hôn"}


# --- offices ------------------------------------------------------------------------------------------------

@pytest.fixture
def office(db) -> int:
    with db() as session, session.begin():
        session.add(Ward(code=19786, name="Phường Thuận Hóa", division_type="phường", old_names=["Phường Phú Hội"]))
        session.flush()
        office = Office(ward_code=19786, name="Bộ phận một cửa phường Thuận Hóa", address="", hours="", phone="")
        session.add(office)
        session.flush()
        return office.id


def office_form(html: str, **values) -> dict:
    return {"csrf_token": token_in(html), "version": version_in(html), "name": "Bộ phận một cửa phường Thuận Hóa",
            "address": "", "hours": "", "phone": "", "url": "", **values}


async def test_an_office_is_found_edited_and_audited(admin_client, db, office):
    await sign_in(admin_client, "an.editor")
    assert "Phường Thuận Hóa" in await (await admin_client.get("/admin/offices?q=thuan+hoa")).text()
    html = await (await admin_client.get(f"/admin/offices/{office}")).text()
    response = await admin_client.post(f"/admin/offices/{office}", allow_redirects=False, data=office_form(
        html, address="Số 1 Lê Lợi", hours="Thứ Hai đến Thứ Sáu, 7:30–17:00", phone="0234 3822 123"))
    assert response.status == 302
    assert "Đã lưu" in await (await admin_client.get(response.headers["Location"])).text()
    with db() as session:
        stored = session.get(Office, office)
        assert (stored.address, stored.phone) == ("Số 1 Lê Lợi", "0234 3822 123")
        entry = session.execute(sa.select(AuditLog).where(AuditLog.action == "office.update")).scalar_one()
        assert entry.actor == "an.editor" and entry.before["address"] == "" and entry.after["address"] == "Số 1 Lê Lợi"


@pytest.mark.parametrize("values, message", [
    ({"name": " "}, "Cần nhập tên nơi tiếp nhận"),
    ({"phone": "gọi tôi"}, "Số điện thoại chỉ gồm chữ số"),
    ({"url": "http://hue.gov.vn"}, "phải là một địa chỉ https://"),
])
async def test_office_values_are_checked(admin_client, db, office, values, message):
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get(f"/admin/offices/{office}")).text()
    response = await admin_client.post(f"/admin/offices/{office}", data=office_form(html, **values))
    assert response.status == 400 and message in await response.text()


async def test_a_stale_office_edit_is_refused(admin_client, db, office):
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get(f"/admin/offices/{office}")).text()
    first = await admin_client.post(f"/admin/offices/{office}", allow_redirects=False,
                                    data=office_form(html, phone="0234 111 111"))
    assert first.status == 302
    second = await admin_client.post(f"/admin/offices/{office}", data=office_form(html, phone="0234 222 222"))
    assert second.status == 409 and "Chưa lưu" in await second.text()
    with db() as session:
        assert session.get(Office, office).phone == "0234 111 111"


# --- guides -------------------------------------------------------------------------------------------------

@pytest.fixture
def coach(db) -> int:
    """The project's own guides; the id of the coach's Vietnamese guide."""
    with db() as session, session.begin():
        guides.seed_guides(session, SEED_DIR / "guides", actor="seed")
    with db() as session:
        return guides.get_guide(session, guides.COACH_SLUG, "vi").id


def guide_form(html: str, guide, **changes) -> dict:
    form = {"csrf_token": token_in(html), "version": version_in(html), "title": guide.title, "summary": guide.summary}
    for i, step in enumerate(guide.steps):
        form.update({f"step-{i}-{k}": getattr(step, k) for k in ("title", "body", "help", "source")})
    form.update(changes)
    return form


async def test_a_guide_step_is_edited_audited_and_kept_by_the_seed(admin_client, db, coach):
    await sign_in(admin_client, "an.editor")
    assert "Hướng dẫn" in await (await admin_client.get("/admin/guides")).text()
    html = await (await admin_client.get(f"/admin/guides/{coach}")).text()
    with db() as session:
        guide = guides.get_guide_by_id(session, coach)
    body = "Mở {portal_url}, đăng nhập bằng VNeID mức 2 và tìm “{procedure_name}”."
    response = await admin_client.post(f"/admin/guides/{coach}", allow_redirects=False,
                                       data=guide_form(html, guide, **{"step-0-body": body}))
    assert response.status == 302, await response.text()
    with db() as session, session.begin():
        assert guides.get_guide(session, guides.COACH_SLUG, "vi").steps[0].body == body
        entry = session.execute(sa.select(AuditLog).where(AuditLog.action == "guide.update")).scalar_one()
        assert entry.actor == "an.editor" and entry.after["steps"][0]["body"] == body
        assert entry.before["steps"][0]["body"] != body
        assert guides.seed_guides(session, SEED_DIR / "guides", actor="seed").get("guides_kept", 0) >= 1


@pytest.mark.parametrize("changes, message", [
    ({"step-0-body": "Nộp tại {ten_co_quan}"}, "unknown placeholder {ten_co_quan}"),
    ({"step-0-body": "Nộp tại {agency"}, "braces that do not pair up"),
    ({"step-1-title": " "}, "need a title"),
])
async def test_guide_texts_are_checked(admin_client, db, coach, changes, message):
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get(f"/admin/guides/{coach}")).text()
    with db() as session:
        guide = guides.get_guide_by_id(session, coach)
    response = await admin_client.post(f"/admin/guides/{coach}", data=guide_form(html, guide, **changes))
    assert response.status == 400 and message in await response.text()


async def test_a_stale_guide_edit_is_refused(admin_client, db, coach):
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get(f"/admin/guides/{coach}")).text()
    with db() as session:
        guide = guides.get_guide_by_id(session, coach)
    first = await admin_client.post(f"/admin/guides/{coach}", allow_redirects=False,
                                    data=guide_form(html, guide, **{"step-0-help": "Gọi 1022."}))
    assert first.status == 302
    second = await admin_client.post(f"/admin/guides/{coach}", data=guide_form(html, guide, **{"step-0-help": "x"}))
    assert second.status == 409
    with db() as session:
        assert guides.get_guide_by_id(session, coach).steps[0].help == "Gọi 1022."


# --- creating and deleting procedures -----------------------------------------------------------------------

async def test_an_editor_creates_a_procedure_with_a_unique_code(admin_client, db):
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get("/admin/procedures/new")).text()
    form = {"csrf_token": token_in(html), "code": "9.000001", "name": "Thủ tục thử", "level": "city", "field": "Thử"}
    response = await admin_client.post("/admin/procedures/new", data=form, allow_redirects=False)
    assert response.status == 302 and response.headers["Location"].startswith("/admin/procedures/9.000001")
    taken = await admin_client.post("/admin/procedures/new", data={**form, "code": CODE})
    assert taken.status == 400 and "already exists" in await taken.text()
    unnamed = await admin_client.post("/admin/procedures/new", data={**form, "code": "9.000002", "name": ""})
    assert unnamed.status == 400 and "name: required" in await unnamed.text()
    with db() as session:
        assert repository.get_procedure(session, "9.000001").updated_by == "an.editor"
        entry = session.execute(sa.select(AuditLog).where(AuditLog.target == "procedure:9.000001")).scalar_one()
        assert entry.action == "procedure.create" and entry.actor == "an.editor"


async def test_only_an_admin_deletes_a_procedure_and_it_is_audited(admin_client, db):
    await sign_in(admin_client, "an.editor")
    html = await open_form(admin_client)
    assert "Xóa 1.001193" not in html
    form = {"csrf_token": token_in(html), "version": version_in(html)}
    assert (await admin_client.post(f"/admin/procedures/{CODE}/delete", data=form)).status == 403
    await sign_in(admin_client, "an.admin")
    html = await open_form(admin_client)
    assert "Xóa 1.001193" in html
    response = await admin_client.post(f"/admin/procedures/{CODE}/delete", allow_redirects=False,
                                       data={"csrf_token": token_in(html), "version": version_in(html)})
    assert response.status == 302
    assert "Đã xóa thủ tục 1.001193" in await (await admin_client.get(response.headers["Location"])).text()
    with db() as session:
        assert repository.get_procedure(session, CODE) is None
        entry = session.execute(sa.select(AuditLog).where(AuditLog.action == "procedure.delete")).scalar_one()
        assert entry.actor == "an.admin" and entry.before["code"] == CODE and entry.after is None


async def test_a_stale_delete_is_refused(admin_client, db):
    await sign_in(admin_client, "an.admin")
    html = await open_form(admin_client)
    saved = await admin_client.post(f"/admin/procedures/{CODE}", allow_redirects=False,
                                    data=edit_form(html, **{"channel-0-time_value": "2"}))
    assert saved.status == 302
    response = await admin_client.post(f"/admin/procedures/{CODE}/delete",
                                       data={"csrf_token": token_in(html), "version": version_in(html)})
    assert response.status == 409 and "Chưa xóa" in await response.text()
    with db() as session:
        assert repository.get_procedure(session, CODE) is not None


async def test_a_channel_is_removed_and_another_added(admin_client, db):
    await sign_in(admin_client, "an.editor")
    form = edit_form(await open_form(admin_client), **{"channel-1-remove": "1", "new_channel": "post"})
    assert (await admin_client.post(f"/admin/procedures/{CODE}", data=form, allow_redirects=False)).status == 302
    with db() as session:
        kinds = [c.kind for c in repository.get_procedure(session, CODE).channels]
    assert kinds == ["online", "in_person", "post"]
    bad = edit_form(await open_form(admin_client), new_channel="fax")
    response = await admin_client.post(f"/admin/procedures/{CODE}", data=bad)
    assert response.status == 400 and "online, in_person hoặc post" in await response.text()
