"""/admin/import: upload a catalogue file, preview without writing, apply in the background with progress."""
from __future__ import annotations

import asyncio
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiohttp import FormData

from bot.gateway.app import create_app
from knowledge import repository
from knowledge.exchange import write_records
from knowledge.importers.catalogue import import_file
from knowledge.models import AuditLog, Procedure
from knowledge.records import procedure_to_record

from .conftest import sign_in, token_in

_UPLOAD = re.compile(r'name="upload" value="([0-9a-f]+)"')


def _portal(code, fee=20000, province="Bộ Tư pháp"):
    return {"id": "x-" + code, "code": code, "name": "Đăng ký thử nghiệm", "detail": {
        "isWard": True, "departmentPromulgateName": province, "executingAgencies": "UBND cấp xã",
        "executionMethods": [{"submissionMethod": "DIRECT", "processingTime": 3, "processingTimeUnit": "WORKING_DAY",
                              "description": "", "fees": [{"value": fee, "description": f"{fee} đồng/lần"}]}],
        "executionCases": [{"name": "", "profileComponents": [{"name": "Tờ khai (Mẫu 01)", "originalQty": 1}]}]}}


def _jsonl(records) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8")


@pytest.fixture
def upload_settings(admin_settings, tmp_path):
    return replace(admin_settings, upload_dir=str(tmp_path / "uploads"))


@pytest.fixture
async def import_client(aiohttp_client, upload_settings):
    return await aiohttp_client(create_app(upload_settings))


@pytest.fixture
def stored(db, tmp_path):
    """Three procedures imported before: one the file changes, one a clerk renamed, one the file repeats."""
    before = tmp_path / "before.jsonl"
    before.write_bytes(_jsonl([_portal("1.009997"), _portal("1.009996"), _portal("1.009995")]))
    import_file(db, before)
    with db() as session, session.begin():
        repository.upsert_procedure(session, {"code": "1.009996", "name": "Tên do cán bộ sửa", "level": "ward"},
                                    actor="clerk", mark_edited=True)
    return db


def _file() -> bytes:
    return _jsonl([_portal("1.009999"), _portal("1.009998", province="UBND tỉnh Lào Cai"),
                   _portal("1.009997", fee=30000), _portal("1.009996"), _portal("1.009995")])


async def _upload(client, content: bytes, filename: str, token: str | None = None):
    if token is None:
        token = token_in(await (await client.get("/admin/import")).text())
    form = FormData()
    form.add_field("csrf_token", token)
    form.add_field("file", content, filename=filename, content_type="application/octet-stream")
    return await client.post("/admin/import", data=form, allow_redirects=False)


def _count(html: str, kind: str) -> int:
    return int(re.search(rf'data-count="{kind}">(\d+)<', html).group(1))


def _codes(db) -> set[str]:
    with db() as session:
        return set(session.execute(sa.select(Procedure.code)).scalars())


async def test_without_login_the_page_goes_to_login_and_posts_get_401(import_client):
    response = await import_client.get("/admin/import", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"].startswith("/admin/login?next=")
    for path in ("/admin/import", "/admin/import/apply"):
        response = await import_client.post(path, data={"csrf_token": "x"}, allow_redirects=False)
        assert response.status == 401


async def test_a_trainer_gets_403(import_client):
    await sign_in(import_client, "an.trainer")
    assert (await import_client.get("/admin/import")).status == 403
    response = await _upload(import_client, _file(), "portal.jsonl", token="x")
    assert response.status == 403


async def test_an_upload_without_the_csrf_token_is_refused(import_client, stored):
    await sign_in(import_client, "an.editor")
    response = await _upload(import_client, _file(), "portal.jsonl", token="wrong")
    assert response.status == 403
    assert "1.009999" not in _codes(stored)


async def test_a_malformed_file_gets_a_clear_error_and_nothing_is_written(import_client, stored, upload_settings):
    await sign_in(import_client, "an.editor")
    before = _codes(stored)
    response = await _upload(import_client, b'[{"code": "1.0", oops', "portal.json")
    assert response.status == 400
    assert "không đọc được" in await response.text()
    response = await _upload(import_client, b"not json\n{also not\n", "portal.jsonl")
    assert response.status == 400 and "dòng 1" in await response.text()
    response = await _upload(import_client, b"code,name\n1.1,x\n", "export.csv")
    assert response.status == 400 and "level" in await response.text()
    response = await _upload(import_client, b"hello", "notes.txt")
    assert response.status == 400
    assert _codes(stored) == before
    assert not list(Path(upload_settings.upload_dir).glob("*"))  # the refused uploads are removed


async def test_the_preview_counts_and_writes_nothing_then_apply_writes_with_the_user(import_client, stored):
    await sign_in(import_client, "an.editor")
    with stored() as session:
        audit_before = session.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    response = await _upload(import_client, _file(), "portal.jsonl")
    html = await response.text()
    assert response.status == 200, html
    assert [_count(html, kind) for kind in ("created", "updated", "unchanged", "skipped", "conflicts")] == [
        1, 1, 2, 1, 1]
    assert "Lào Cai" in html and "1.009996: name" in html
    assert "1.009999" not in _codes(stored)
    with stored() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == audit_before

    response = await import_client.post("/admin/import/apply", allow_redirects=False,
                                        data={"csrf_token": token_in(html), "upload": _UPLOAD.search(html).group(1)})
    assert response.status == 302
    job = response.headers["Location"]
    for _ in range(200):
        status = await (await import_client.get(f"{job}/status")).json()
        if status["state"] != "running":
            break
        await asyncio.sleep(0.05)
    assert status["state"] == "done" and status["user"] == "an.editor", status
    assert status["progress"].startswith("4/4 procedures"), status
    assert "created: 1" in status["report"] and "updated: 1" in status["report"]
    page = await import_client.get(job)
    assert page.status == 200 and "4/4" in await page.text()
    with stored() as session:
        assert repository.get_procedure(session, "1.009999") is not None
        assert repository.get_procedure(session, "1.009997").channels[0].fee_amount == 30000
        assert repository.get_procedure(session, "1.009996").name == "Tên do cán bộ sửa"
        entries = session.execute(sa.select(AuditLog).where(AuditLog.id > audit_before)).scalars().all()
    assert {(e.actor, e.target) for e in entries} == {("an.editor", "procedure:1.009999"), ("an.editor", "procedure:1.009997")}


async def test_the_apply_needs_the_csrf_token_and_a_known_upload(import_client, stored):
    await sign_in(import_client, "an.admin")
    html = await (await _upload(import_client, _file(), "portal.jsonl")).text()
    upload = _UPLOAD.search(html).group(1)
    response = await import_client.post("/admin/import/apply", data={"upload": upload}, allow_redirects=False)
    assert response.status == 403
    response = await import_client.post("/admin/import/apply", allow_redirects=False,
                                        data={"csrf_token": token_in(html), "upload": "../../etc/passwd"})
    assert response.status == 404
    assert "1.009999" not in _codes(stored)


async def test_our_csv_export_is_previewed_and_applied(import_client, db):
    await sign_in(import_client, "an.admin")
    with db() as session:
        record = procedure_to_record(repository.get_procedure(session, "1.001193"))
    stream = io.StringIO()
    write_records([{**record, "field": "Lĩnh vực mới"}, {**record, "code": "9.000001", "edited_fields": []}],
                  "csv", stream)
    html = await (await _upload(import_client, stream.getvalue().encode("utf-8"), "export.csv")).text()
    assert [_count(html, kind) for kind in ("created", "updated")] == [1, 1], html
    response = await import_client.post("/admin/import/apply",
                                        data={"csrf_token": token_in(html), "upload": _UPLOAD.search(html).group(1)})
    assert response.status == 200
    for _ in range(200):
        if "9.000001" in _codes(db) and "xong" in await (await import_client.get(response.url.path)).text():
            break
        await asyncio.sleep(0.05)
    with db() as session:
        assert repository.get_procedure(session, "1.001193").field == "Lĩnh vực mới"
        actors = {e.actor for e in session.execute(
            sa.select(AuditLog).where(AuditLog.target.in_(["procedure:9.000001", "procedure:1.001193"]),
                                      AuditLog.actor != "test")).scalars()}
    assert actors == {"an.admin"}


async def test_the_upload_has_its_own_size_limit(aiohttp_client, upload_settings):
    big = b"x" * (64 * 1024)
    client = await aiohttp_client(create_app(replace(upload_settings, admin_upload_max_bytes=32 * 1024)))
    await sign_in(client, "an.editor")
    assert (await _upload(client, big, "portal.jsonl")).status == 413
    client2 = await aiohttp_client(create_app(upload_settings))
    await sign_in(client2, "an.editor")
    response = await _upload(client2, b"\n" * (64 * 1024) + _jsonl([_portal("1.009999")]), "portal.jsonl")
    assert response.status == 200, await response.text()
