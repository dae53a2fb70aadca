"""Nhập dữ liệu: upload a catalogue file (either portal format, or our CSV/JSON export), preview what it would
change without writing anything, then apply it in the background with a progress page.

The upload is kept under UPLOAD_DIR with a random name; the preview and the apply name it by that token only.
The import runs in a thread (the importers are blocking) from an asyncio task; the job's state lives in the
admin app (one process) and is read by the progress page and its JSON endpoint.
"""
from __future__ import annotations

import asyncio
import gzip
import json
import logging
import re
import secrets
from pathlib import Path

import aiohttp_jinja2
import sqlalchemy as sa
from aiohttp import web

from bot.gateway.admin.keys import IMPORT_JOBS, IMPORT_TASKS, STAFF
from bot.gateway.keys import DB_SESSIONS, SETTINGS
from knowledge import repository
from knowledge.exchange import RecordFileError, read_records
from knowledge.importers import catalogue, portal
from knowledge.importers.report import ImportReport
from knowledge.models import Procedure
from knowledge.records import RECORD_FIELDS, canonical_record, procedure_to_record

log = logging.getLogger(__name__)

LIST_LIMIT = 50
BATCH_SIZE = 200
# Accepted names and how each is read: the portal formats (catalogue) or our export (exchange).
SUFFIXES = {".jsonl.gz": "portal", ".json.gz": "portal", ".gz": "portal", ".jsonl": "portal", ".json": "json",
            ".csv": "csv"}
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class UploadError(ValueError):
    """A file that cannot be imported; the message says why (in Vietnamese, for the page)."""


def _suffix(filename: str) -> str | None:
    name = filename.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return None


def upload_dir(request: web.Request) -> Path:
    return Path(request.config_dict[SETTINGS].upload_dir)


def uploaded_file(request: web.Request, token: str) -> Path:
    """The upload of ``token`` (a random hex name: nothing else is looked up); 404 when there is none."""
    if _TOKEN.match(token or ""):
        for path in upload_dir(request).glob(f"{token}.*"):
            return path
    raise web.HTTPNotFound(text="No such upload: upload the file again.\n")


def file_kind(path: Path) -> str:
    """"portal" (either portal format, read by the catalogue importer) or "export" (our CSV/JSON records)."""
    kind = SUFFIXES[_suffix(path.name)]
    if kind != "json":
        return "portal" if kind == "portal" else "export"
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UploadError(f"Tệp JSON không đọc được: {error}") from None
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else None
    if first is None:
        raise UploadError("Tệp JSON phải là một danh sách các thủ tục (không rỗng).")
    return "export" if "level" in first and "detail" not in first and "ma_thu_tuc" not in first else "portal"


def _export_records(path: Path) -> list[dict]:
    try:
        records = read_records(path, "csv" if path.suffix == ".csv" else "json")
    except RecordFileError as error:
        raise UploadError(f"Tệp không đọc được: {str(error).replace(str(path), path.name)}") from None
    problems = [f"thủ tục {n} ({r.get('code', '?')}): {e}"
                for n, r in enumerate(records, start=1) for e in repository.validate_record(r)]
    if problems:
        raise UploadError("Tệp có bản ghi không hợp lệ, chưa nhập gì: " + "; ".join(problems[:20]))
    if not records:
        raise UploadError("Tệp không có thủ tục nào.")
    return records


def _portal_records(path: Path, report: ImportReport) -> list[dict]:
    try:
        records = catalogue.parse_file(path, report, {})
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as error:
        raise UploadError(f"Tệp không đọc được: {error}") from None
    if not records and report.unreadable:
        why = "; ".join(f"dòng {line}: {reason}" for line, reason in report.unreadable[:5])
        raise UploadError(f"Tệp không đọc được ({why}).")
    if not records and not report.skipped and not report.failed:
        raise UploadError("Tệp không có thủ tục nào.")
    return list(records.values())


def preview(sessions, path: Path) -> dict:
    """What importing ``path`` would do, computed without writing: codes created, updated, unchanged, skipped
    (with reasons), conflicting with staff edits, and the flagged cells. Raises UploadError for a bad file."""
    kind = file_kind(path)
    report = ImportReport(source=path.name)
    records = _export_records(path) if kind == "export" else _portal_records(path, report)
    result = {"kind": kind, "created": [], "updated": [], "unchanged": [], "conflicts": [], "flagged": [],
              "skipped": [f"{number} × {why}" for why, number in report.skipped.most_common()]}
    result["skipped"] += [f"{code}: {why}" for code, why in report.failed.items()]
    result["skipped"] += [f"dòng {line}: {why}" for line, why in report.unreadable]
    for problem in report.problems:
        result["flagged"].append(f"{problem.code} {problem.field}: {problem.reason}")
    with sessions() as db:
        for start in range(0, len(records), BATCH_SIZE):
            batch = records[start:start + BATCH_SIZE]
            stored = {proc.code: proc for proc in db.execute(
                sa.select(Procedure).where(Procedure.code.in_([r["code"] for r in batch]))).scalars()}
            for record in batch:
                _classify(result, stored.get(record["code"]), record, kind)
    return result


def _classify(result: dict, stored: Procedure | None, record: dict, kind: str) -> None:
    code = record["code"]
    if kind == "portal":
        if stored is not None and stored.source == portal.SOURCE and record.get("source") != portal.SOURCE:
            result["skipped"].append(f"{code}: đã có bản ghi có cấu trúc của cổng (giữ nguyên)")
            return
        record = {k: v for k, v in record.items() if k not in catalogue.KEEP_ON_IMPORT}
    incoming = canonical_record(record)
    for flag in incoming.get("flags") or []:
        result["flagged"].append(f"{code}: {flag}")
    if stored is None:
        result["created"].append(code)
        return
    before = procedure_to_record(stored)
    edited = set(before["edited_fields"])
    changed = [name for name in RECORD_FIELDS[1:] if name in record and incoming[name] != before[name]]
    conflicts = [name for name in changed if name in edited]
    if conflicts:
        result["conflicts"].append(f"{code}: {', '.join(conflicts)}")
    if [name for name in changed if name not in edited] or (
            "edited_fields" in record and sorted(incoming["edited_fields"]) != before["edited_fields"]):
        result["updated"].append(code)
    else:
        result["unchanged"].append(code)


def run_import(sessions, path: Path, actor: str, progress) -> str:
    """Write ``path`` (blocking; run in a thread); the report as text. Staff edits are kept."""
    if file_kind(path) == "portal":
        return catalogue.import_file(sessions, path, progress=progress, actor=actor).format(max_records=LIST_LIMIT)
    records = _export_records(path)
    report = ImportReport(source=path.name)
    for start in range(0, len(records), BATCH_SIZE):
        batch = records[start:start + BATCH_SIZE]
        with sessions() as db, db.begin():
            for record in batch:
                outcome = repository.upsert_procedure(db, record, actor=actor)
                report.count(str(outcome))
        done = start + len(batch)
        progress(f"{done}/{len(records)} procedures ({100 * done // len(records)} %)")
    return report.format(max_records=LIST_LIMIT)


# --- pages --------------------------------------------------------------------------------------------------

def _render(request, template: str, context: dict, status: int = 200) -> web.Response:
    return aiohttp_jinja2.render_template(template, request, {"errors": [], "notice": "", **context},
                                          status=status)


async def import_page(request: web.Request) -> web.Response:
    return _render(request, "import.html", {"limit_mb": request.config_dict[SETTINGS].admin_upload_max_bytes
                                            // (1024 * 1024)})


async def import_upload(request: web.Request) -> web.Response:
    form = await request.post()
    upload = form.get("file")
    limit_mb = request.config_dict[SETTINGS].admin_upload_max_bytes // (1024 * 1024)
    suffix = _suffix(getattr(upload, "filename", "") or "")
    if upload is None or isinstance(upload, str) or suffix is None:
        message = "Chọn một tệp .jsonl, .jsonl.gz, .json hoặc .csv để nhập."
        return _render(request, "import.html", {"errors": [message], "limit_mb": limit_mb}, status=400)
    folder = upload_dir(request)
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    path = folder / f"{token}{suffix}"
    upload.file.seek(0)
    with open(path, "wb") as stream:
        while chunk := upload.file.read(1024 * 1024):
            stream.write(chunk)
    try:
        result = await asyncio.get_running_loop().run_in_executor(
            None, preview, request.config_dict[DB_SESSIONS], path)
    except UploadError as error:
        path.unlink(missing_ok=True)
        return _render(request, "import.html", {"errors": [str(error)], "limit_mb": limit_mb}, status=400)
    log.info("admin: %s uploaded %s as %s", request[STAFF].username, upload.filename, path.name)
    return _render(request, "import_preview.html",
                   {"result": result, "token": token, "filename": upload.filename, "limit": LIST_LIMIT})


async def import_apply(request: web.Request) -> web.Response:
    form = await request.post()
    path = uploaded_file(request, str(form.get("upload") or ""))
    actor = request[STAFF].username
    jobs, tasks = request.app[IMPORT_JOBS], request.app[IMPORT_TASKS]
    job_id = secrets.token_hex(8)
    job = jobs[job_id] = {"state": "running", "progress": "0/? procedures", "report": "", "user": actor,
                          "file": path.name}

    def progress(text: str) -> None:
        job["progress"] = text

    async def run() -> None:
        try:
            job["report"] = await asyncio.get_running_loop().run_in_executor(
                None, run_import, request.config_dict[DB_SESSIONS], path, actor, progress)
            job["state"] = "done"
        except Exception as error:  # noqa: BLE001 - shown on the progress page
            log.exception("admin: import of %s by %s failed", path.name, actor)
            job["state"], job["report"] = "failed", f"{type(error).__name__}: {error}"
        finally:
            path.unlink(missing_ok=True)

    task = asyncio.create_task(run())
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    log.info("admin: %s started import %s of %s", actor, job_id, path.name)
    raise web.HTTPFound(request.app.router["admin_import_job"].url_for(job=job_id))


def _job(request: web.Request) -> dict:
    job = request.app[IMPORT_JOBS].get(request.match_info["job"])
    if job is None:
        raise web.HTTPNotFound(text="No such import.\n")
    return job


async def import_job(request: web.Request) -> web.Response:
    return _render(request, "import_job.html", {"job": _job(request), "job_id": request.match_info["job"]})


async def import_job_status(request: web.Request) -> web.Response:
    job = _job(request)
    return web.json_response({key: job[key] for key in ("state", "progress", "report", "user")})
