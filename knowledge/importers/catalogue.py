"""Import catalogue files of either portal format into the knowledge base.

- national: the portal's detail page as text cells (`ma_thu_tuc`, `thanh_phan_ho_so`…), knowledge.importers.national;
- portal: the portal API's structured records (`{"code", "detail": {…}}`), knowledge.importers.portal.

The format is read from each record. Upsert by national code, one transaction per batch, idempotent. Fields
staff edited are kept unless ``overwrite_edited``; curated aliases, usage and the check stamp are never
overwritten by an import. A structured (portal) record is never replaced by the text-cell record of the same
code: the structured cells are the better source. Local procedures of other provinces are skipped, with the
reason in the report.
"""
from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Callable

import sqlalchemy as sa

from knowledge.importers import national, portal
from knowledge.importers.report import Conflict, ImportReport
from knowledge.models import Procedure
from knowledge.records import RECORD_FIELDS, canonical_record, procedure_to_record
from knowledge.repository import upsert_procedure

ACTOR = "import"
BATCH_SIZE = 200
# Fields no portal file publishes: an import leaves what curators and staff set alone.
KEEP_ON_IMPORT = ("aliases", "verified_on", "verified_by", "usage")


def read_usage(path: str | Path | None) -> dict[str, int]:
    """{code: weight} from the portal's usage list (`code,name,audience,weight`); {} when absent."""
    if not path or not Path(path).exists():
        return {}
    usage: dict[str, int] = {}
    with open(path, encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            try:
                usage[row["code"].strip()] = usage.get(row["code"].strip(), 0) + int(float(row["weight"]))
            except (KeyError, ValueError, AttributeError):
                continue
    return usage


def record_format(raw: dict) -> str:
    return "portal" if isinstance(raw.get("detail"), dict) else "national"


def _conflicts(existing: Procedure | None, record: dict, overwrite: bool) -> list[Conflict]:
    """Staff-edited fields of ``existing`` whose value this record would change."""
    if existing is None or not existing.edited_fields:
        return []
    current, incoming = procedure_to_record(existing), canonical_record(record)
    return [Conflict(record["code"], name, "import" if overwrite else "staff")
            for name in existing.edited_fields
            if name in RECORD_FIELDS and current.get(name) != incoming.get(name)]


def _upsert_batch(session_factory, batch: list[dict], report: ImportReport, overwrite_edited: bool,
                  actor: str = ACTOR) -> None:
    with session_factory() as session, session.begin():
        codes = [record["code"] for record in batch]
        existing = {proc.code: proc for proc in session.execute(
            sa.select(Procedure).where(Procedure.code.in_(codes))).scalars()}
        outcomes, conflicts, kept = [], [], 0
        for record in batch:
            stored = existing.get(record["code"])
            if stored is not None and stored.source == portal.SOURCE and record.get("source") != portal.SOURCE:
                kept += 1
                continue
            conflicts += _conflicts(stored, record, overwrite_edited)
            payload = {k: v for k, v in record.items() if k not in KEEP_ON_IMPORT}
            if stored is None or not stored.usage:
                payload["usage"] = record.get("usage") or 0
            outcomes.append(upsert_procedure(session, payload, actor=actor, overwrite_edited=overwrite_edited))
    for outcome in outcomes:
        report.count(str(outcome))
    if kept:
        report.skipped["kept the structured portal record of the same code"] += kept
    report.conflicts += conflicts


def parse_file(path: str | Path, report: ImportReport, usage: dict[str, int]) -> dict[str, dict]:
    """The records of ``path`` by code, with problems, skips and unreadable lines noted in ``report``."""
    records: dict[str, dict] = {}
    for number, raw, error in national.iter_records(path):
        if raw is None:
            report.unreadable.append((number, error))
            continue
        report.read += 1
        if record_format(raw) == "portal":
            record, problems, skipped = portal.parse_record(raw, usage)
            if record is None:
                report.skipped[skipped] += 1
                continue
        else:
            record, problems = national.parse_record(raw)
            record.update(source="national", usage=usage.get(record["code"], 0))
        report.problems += problems
        if not record["code"] or not record["name"]:
            report.failed[record["code"] or f"line {number}"] = "no code or name"
            continue
        if record["code"] in records:
            report.duplicates.append(record["code"])
        records[record["code"]] = record
    return records


def import_file(session_factory, path: str | Path, overwrite_edited: bool = False,
                progress: Callable[[str], None] | None = None, usage: dict[str, int] | None = None,
                actor: str = ACTOR) -> ImportReport:
    """Parse ``path`` (either format) and upsert every procedure; one transaction per batch of ``BATCH_SIZE``.
    ``actor`` is who the audit log names (the signed-in user for an admin upload).

    A batch that fails is retried record by record so one bad record does not sink the others."""
    started = time.perf_counter()
    report = ImportReport(source=str(path))
    pending = list(parse_file(path, report, usage or {}).values())
    for start in range(0, len(pending), BATCH_SIZE):
        batch = pending[start:start + BATCH_SIZE]
        try:
            _upsert_batch(session_factory, batch, report, overwrite_edited, actor)
        except Exception:  # noqa: BLE001 - isolate the failing record(s) below
            for record in batch:
                try:
                    _upsert_batch(session_factory, [record], report, overwrite_edited, actor)
                except Exception as error:  # noqa: BLE001 - reported, not fatal
                    report.failed[record["code"]] = f"{type(error).__name__}: {error}"
        if progress is not None:
            done = min(start + BATCH_SIZE, len(pending))
            progress(f"{done}/{len(pending)} procedures ({100 * done // max(len(pending), 1)} %)")
    report.seconds = time.perf_counter() - started
    return report


def import_files(session_factory, paths: list[str | Path], **options) -> list[ImportReport]:
    """Import several files; text-cell files first, so the structured records of the same codes win."""
    def structured(path) -> bool:
        for _, raw, _ in national.iter_records(path):
            if raw is not None:
                return record_format(raw) == "portal"
        return False

    return [import_file(session_factory, path, **options) for path in sorted(paths, key=structured)]
