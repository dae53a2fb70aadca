"""Cập nhật tên thủ tục cho mô hình (admins only): say whether the NLU lookup tables (data/nlu/lookups/) are out of
date with the knowledge base, and refresh them in the background: write the tables (knowledge.lookups, in a
thread), train a new model (`rasa train --fixed-model-name hue-<timestamp> --out models`, a subprocess whose
output lines are the job's progress), then swap the running Rasa's model (`PUT /model?token=`). When a step
fails the running model stays and the page shows the error.

Jobs live in the admin app (one process) like the imports' (views/imports.py); only one runs at a time: a second
start while one runs opens the running one.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
import sys
import time
from collections import deque
from pathlib import Path

import aiohttp
import aiohttp_jinja2
from aiohttp import web

from bot.gateway.admin.keys import RETRAIN_COMMAND, RETRAIN_JOBS, RETRAIN_ROOT, RETRAIN_TASKS, STAFF
from bot.gateway.keys import DB_SESSIONS, RASA_HTTP, SETTINGS
from knowledge.lookups import stale_lookups, write_lookups

log = logging.getLogger(__name__)

# Output lines of the training kept for the page (the last ones).
LOG_LINES = 200
# Loading a new model may take a while: the swap waits this long for Rasa's answer.
SWAP_TIMEOUT_SECONDS = 600
STATES = {"running": "đang chạy", "done": "xong", "failed": "lỗi"}


def default_command() -> list[str]:
    """`rasa train` of this virtual environment (the one the gateway runs in), or of the PATH."""
    rasa = Path(sys.executable).with_name("rasa")
    return [str(rasa) if rasa.exists() else "rasa", "train", "--fixed-model-name", "{name}", "--out", "models"]


def model_name() -> str:
    return "hue-" + time.strftime("%Y%m%d-%H%M%S", time.gmtime())


def running_job(app: web.Application) -> str | None:
    for job_id, job in app[RETRAIN_JOBS].items():
        if job["state"] == "running":
            return job_id
    return None


def _write(sessions, root: Path) -> list[Path]:
    with sessions() as db:
        return write_lookups(db, root)


def _stale(sessions, root: Path) -> list[Path]:
    with sessions() as db:
        return stale_lookups(db, root)


async def run_retrain(config, job: dict) -> None:
    """The three steps of ``job``; its state, progress, log and report say how far it went. ``config``: the
    admin request's config_dict (the admin app's keys and the gateway's)."""
    lines: deque[str] = job["lines"]

    def say(text: str) -> None:
        job["progress"] = text
        lines.append(text)

    loop = asyncio.get_running_loop()
    try:
        settings, root = config[SETTINGS], config[RETRAIN_ROOT]
        say("1/3 Ghi bảng tra tên thủ tục và phường xã…")
        written = await loop.run_in_executor(None, _write, config[DB_SESSIONS], root)
        say("Đã ghi: " + ", ".join(p.name for p in written) if written else "Bảng tra không đổi.")

        name = job["model"]
        say(f"2/3 Huấn luyện mô hình {name}…")
        command = [argument.replace("{name}", name) for argument in config[RETRAIN_COMMAND]]
        process = await asyncio.create_subprocess_exec(
            *command, cwd=str(root), stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            async for raw in process.stdout:
                text = raw.decode("utf-8", errors="replace").rstrip()
                if text:
                    say(text)
            code = await process.wait()
        except asyncio.CancelledError:
            if process.returncode is None:
                process.kill()
                await process.wait()
            raise
        model = root / "models" / f"{name}.tar.gz"
        if code != 0:
            raise RuntimeError(f"Huấn luyện thất bại (mã thoát {code}).")
        if not model.is_file():
            raise RuntimeError(f"Huấn luyện xong nhưng không thấy tệp mô hình {model}.")

        say(f"3/3 Nạp mô hình mới vào Rasa: {model.name}…")
        params = {"token": settings.rasa_token} if settings.rasa_token else None
        async with config[RASA_HTTP].put(
                f"{settings.rasa_url}/model", params=params, json={"model_file": str(model.resolve())},
                timeout=aiohttp.ClientTimeout(total=SWAP_TIMEOUT_SECONDS)) as response:
            if response.status >= 300:
                body = (await response.text())[:500]
                raise RuntimeError(f"Rasa không nạp được mô hình mới (HTTP {response.status}): {body}")
        say(f"Đã nạp mô hình {model.name}.")
        job["state"] = "done"
        job["report"] = f"Rasa đang chạy mô hình mới {model}."
        log.info("retrain: %s swapped Rasa's model to %s", job["user"], model)
    except asyncio.CancelledError:
        job["state"], job["report"] = "failed", "Đã dừng (cổng đang tắt). Mô hình cũ vẫn chạy."
        raise
    except Exception as error:  # noqa: BLE001 - shown on the progress page
        log.exception("retrain: job of %s failed", job["user"])
        detail = str(error) if isinstance(error, RuntimeError) else f"{type(error).__name__}: {error}"
        job["state"], job["report"] = "failed", f"{detail} Mô hình cũ vẫn chạy."


# --- pages --------------------------------------------------------------------------------------------------

def _render(request, template: str, context: dict, status: int = 200) -> web.Response:
    return aiohttp_jinja2.render_template(template, request, {"errors": [], "notice": "", **context},
                                          status=status)


async def retrain_page(request: web.Request) -> web.Response:
    root = request.app[RETRAIN_ROOT]
    stale = await asyncio.get_running_loop().run_in_executor(
        None, _stale, request.config_dict[DB_SESSIONS], root)
    return _render(request, "retrain.html", {
        "stale": [str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in stale],
        "enabled": request.config_dict[SETTINGS].admin_retrain_enabled,
        "running": running_job(request.app)})


async def retrain_start(request: web.Request) -> web.Response:
    if not request.config_dict[SETTINGS].admin_retrain_enabled:
        raise web.HTTPForbidden(text="Retraining from the admin is off (ADMIN_RETRAIN_ENABLED=false).\n")
    app = request.app
    job_id = running_job(app)
    if job_id is None:  # no await between the check and the new job: one job at a time
        actor = request[STAFF].username
        job_id = secrets.token_hex(8)
        job = app[RETRAIN_JOBS][job_id] = {
            "state": "running", "progress": "Đang bắt đầu…", "report": "", "user": actor, "model": model_name(),
            "lines": deque(maxlen=LOG_LINES)}
        task = asyncio.create_task(run_retrain(request.config_dict, job))
        app[RETRAIN_TASKS].add(task)
        task.add_done_callback(app[RETRAIN_TASKS].discard)
        log.info("admin: %s started retraining %s (%s)", actor, job_id, job["model"])
    raise web.HTTPFound(app.router["admin_retrain_job"].url_for(job=job_id))


def _job(request: web.Request) -> dict:
    job = request.app[RETRAIN_JOBS].get(request.match_info["job"])
    if job is None:
        raise web.HTTPNotFound(text="No such retraining job.\n")
    return job


async def retrain_job(request: web.Request) -> web.Response:
    job = _job(request)
    return _render(request, "retrain_job.html", {"job": job, "log": "\n".join(job["lines"]),
                                                 "job_id": request.match_info["job"], "states": STATES})


async def retrain_job_status(request: web.Request) -> web.Response:
    job = _job(request)
    return web.json_response({**{key: job[key] for key in ("state", "progress", "report", "user", "model")},
                              "log": list(job["lines"])})
