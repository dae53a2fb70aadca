"""/admin/retrain: lookup tables out of date or not; write them, train (a stand-in command here, never a real
training) and swap the running Rasa's model in the background; one job at a time; admins only."""
from __future__ import annotations

import asyncio
import sys
from dataclasses import replace

import pytest

from bot.gateway.admin.keys import RETRAIN_COMMAND, RETRAIN_ROOT
from bot.gateway.app import create_app
from knowledge.lookups import LOOKUP_DIR

from .conftest import sign_in, token_in

# Prints progress lines and writes models/<name>.tar.gz as `rasa train --fixed-model-name <name> --out models`.
TRAIN_OK = """
import pathlib, sys
print("Training NLU model...", flush=True)
print("Epochs: 100%|##########| 5/5", flush=True)
pathlib.Path("models").mkdir(exist_ok=True)
pathlib.Path("models", sys.argv[1] + ".tar.gz").write_bytes(b"model")
print("Your Rasa model is trained and saved at models/" + sys.argv[1] + ".tar.gz", flush=True)
"""
TRAIN_FAILS = """
import sys
print("Training NLU model...", flush=True)
print("InvalidConfigException: lookup table is broken", flush=True)
sys.exit(1)
"""
TRAIN_SLOW = """
import pathlib, sys, time
print("Training NLU model...", flush=True)
time.sleep(1.5)
pathlib.Path("models").mkdir(exist_ok=True)
pathlib.Path("models", sys.argv[1] + ".tar.gz").write_bytes(b"model")
"""


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def _app(settings, root, script: str):
    app = create_app(replace(settings, rasa_token="s3cret"))
    for sub in _admin_apps(app):
        sub[RETRAIN_ROOT] = root
        sub[RETRAIN_COMMAND] = [sys.executable, "-c", script, "{name}"]
    return app


def _admin_apps(app):
    found = [resource._app for resource in app.router.resources() if hasattr(resource, "_app")]
    assert found, "the admin sub-app is not mounted"
    return found


def _client(aiohttp_client, admin_settings, root, script=TRAIN_OK):
    return aiohttp_client(_app(admin_settings, root, script))


async def _start(client):
    html = await (await client.get("/admin/retrain")).text()
    return await client.post("/admin/retrain", data={"csrf_token": token_in(html)}, allow_redirects=False)


async def _finished(client, job: str) -> dict:
    for _ in range(300):
        status = await (await client.get(f"{job}/status")).json()
        if status["state"] != "running":
            return status
        await asyncio.sleep(0.05)
    raise AssertionError(f"the job did not finish: {status}")


async def test_without_login_the_page_goes_to_login_and_posts_get_401(aiohttp_client, admin_settings, root):
    client = await _client(aiohttp_client, admin_settings, root)
    response = await client.get("/admin/retrain", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"].startswith("/admin/login?next=")
    response = await client.post("/admin/retrain", data={"csrf_token": "x"}, allow_redirects=False)
    assert response.status == 401


@pytest.mark.parametrize("username", ["an.editor", "an.trainer"])
async def test_editors_and_trainers_get_403(aiohttp_client, admin_settings, root, fake_rasa, username):
    client = await _client(aiohttp_client, admin_settings, root)
    await sign_in(client, username)
    assert (await client.get("/admin/retrain")).status == 403
    # the role is checked before the form token: 403 whatever the token
    response = await client.post("/admin/retrain", data={"csrf_token": "x"}, allow_redirects=False)
    assert response.status == 403
    assert (await client.get("/admin/retrain/0123456789abcdef/status")).status == 403
    assert not (root / LOOKUP_DIR).exists() and fake_rasa.model_puts == []


async def test_a_start_without_the_csrf_token_is_refused(aiohttp_client, admin_settings, root, fake_rasa):
    client = await _client(aiohttp_client, admin_settings, root)
    await sign_in(client, "an.admin")
    for data in ({}, {"csrf_token": "wrong"}):
        response = await client.post("/admin/retrain", data=data, allow_redirects=False)
        assert response.status == 403
    await asyncio.sleep(0.2)
    assert not (root / LOOKUP_DIR).exists() and fake_rasa.model_puts == []


async def test_the_page_says_whether_the_lookup_tables_are_stale(aiohttp_client, admin_settings, root):
    client = await _client(aiohttp_client, admin_settings, root)
    await sign_in(client, "an.admin")
    html = await (await client.get("/admin/retrain")).text()
    assert 'data-lookups="stale"' in html and "procedures.yml" in html and "wards.yml" in html
    assert "Cập nhật và huấn luyện lại" in html


async def test_success_writes_the_tables_trains_shows_progress_and_swaps_the_model(
        aiohttp_client, admin_settings, root, fake_rasa):
    client = await _client(aiohttp_client, admin_settings, root)
    await sign_in(client, "an.admin")
    response = await _start(client)
    assert response.status == 302
    job = response.headers["Location"]
    assert job.startswith("/admin/retrain/")
    status = await _finished(client, job)
    assert status["state"] == "done" and status["user"] == "an.admin", status
    assert status["model"].startswith("hue-")
    assert "Training NLU model..." in status["log"] and "Epochs: 100%|##########| 5/5" in status["log"]
    model = root / "models" / f"{status['model']}.tar.gz"
    assert model.is_file()
    assert fake_rasa.model_puts == [({"model_file": str(model.resolve())}, "s3cret")]
    assert (root / LOOKUP_DIR / "procedures.yml").is_file() and (root / LOOKUP_DIR / "wards.yml").is_file()
    page = await (await client.get(job)).text()
    assert "Epochs: 100%" in page and 'data-state="done"' in page and status["model"] in page
    assert 'http-equiv="refresh"' not in page
    html = await (await client.get("/admin/retrain")).text()
    assert 'data-lookups="current"' in html


async def test_a_failed_training_keeps_the_old_model_and_shows_the_error(
        aiohttp_client, admin_settings, root, fake_rasa):
    client = await _client(aiohttp_client, admin_settings, root, TRAIN_FAILS)
    await sign_in(client, "an.admin")
    job = (await _start(client)).headers["Location"]
    status = await _finished(client, job)
    assert status["state"] == "failed", status
    assert "mã thoát 1" in status["report"] and "Mô hình cũ vẫn chạy" in status["report"]
    assert "InvalidConfigException: lookup table is broken" in status["log"]
    assert fake_rasa.model_puts == []
    page = await (await client.get(job)).text()
    assert "lookup table is broken" in page and "Mô hình cũ vẫn chạy" in page


async def test_a_model_rasa_cannot_load_is_reported(aiohttp_client, admin_settings, root, fake_rasa):
    fake_rasa.model_status = 400
    client = await _client(aiohttp_client, admin_settings, root)
    await sign_in(client, "an.admin")
    status = await _finished(client, (await _start(client)).headers["Location"])
    assert status["state"] == "failed" and "HTTP 400" in status["report"], status
    assert len(fake_rasa.model_puts) == 1


async def test_a_second_start_while_one_runs_opens_the_running_job(aiohttp_client, admin_settings, root, fake_rasa):
    client = await _client(aiohttp_client, admin_settings, root, TRAIN_SLOW)
    await sign_in(client, "an.admin")
    first = (await _start(client)).headers["Location"]
    page = await (await client.get("/admin/retrain")).text()
    assert first in page  # the page links the running job
    second = (await _start(client)).headers["Location"]
    assert second == first
    status = await _finished(client, first)
    assert status["state"] == "done", status
    assert len(fake_rasa.model_puts) == 1
    third = (await _start(client)).headers["Location"]  # once it is over, a new one may start
    assert third != first
    await _finished(client, third)


async def test_the_button_can_be_turned_off(aiohttp_client, admin_settings, root, fake_rasa):
    client = await _client(aiohttp_client, replace(admin_settings, admin_retrain_enabled=False), root)
    await sign_in(client, "an.admin")
    html = await (await client.get("/admin/retrain")).text()
    assert "ADMIN_RETRAIN_ENABLED=false" in html and 'action="/admin/retrain"' not in html
    response = await client.post("/admin/retrain", data={"csrf_token": token_in(html)}, allow_redirects=False)
    assert response.status == 403
    assert not (root / LOOKUP_DIR).exists() and fake_rasa.model_puts == []


def test_admin_retrain_enabled_is_read_from_the_environment(monkeypatch):
    from knowledge.settings import Settings

    monkeypatch.delenv("ADMIN_RETRAIN_ENABLED", raising=False)
    assert Settings.from_env().admin_retrain_enabled is True
    monkeypatch.setenv("ADMIN_RETRAIN_ENABLED", "false")
    assert Settings.from_env().admin_retrain_enabled is False
    monkeypatch.setenv("ADMIN_RETRAIN_ENABLED", "1")
    assert Settings.from_env().admin_retrain_enabled is True
    monkeypatch.setenv("ADMIN_RETRAIN_ENABLED", "maybe")
    with pytest.raises(ValueError):
        Settings.from_env()
