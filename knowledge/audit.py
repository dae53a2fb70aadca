"""How well the official records parse, field by field (`python -m knowledge audit [FILE…]`).

For each field: records that parsed cleanly, that were repaired from another cell (a unitless time read from the
method's note or the record's steps, quoted), and that were flagged for staff (a contradiction, an expired
amount, a typo, nothing to show). Read straight from the files, nothing is written.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

from knowledge.importers import national, portal
from knowledge.records import canonical_record

FIELDS = ("time", "fee", "documents", "where", "steps", "legal_basis")


def audit_record(record: dict) -> dict[str, str]:
    """{field: "clean" | "repaired" | "flagged"} for one parsed (canonical) record."""
    flags = {f["field"] for f in record.get("flags") or []}
    fee_flagged = any(any(word in f["reason"] for word in ("fee", "amount", "validity", "phí"))
                      for f in record.get("flags") or [])
    channels = record["channels"]
    if not channels or any(c["time_value"] is None and not c["time_source"] for c in channels):
        time = "flagged"
    elif any(c["time_source"] for c in channels):
        time = "repaired"
    else:
        time = "clean"
    fee = "flagged" if fee_flagged or not channels else "clean"
    documents = "flagged" if not record["documents"] else "clean"
    return {
        "time": time, "fee": fee, "documents": documents,
        "where": "clean" if record.get("receiving_agency") or record.get("agency") else "flagged",
        "steps": "clean" if record["steps"] else "flagged",
        "legal_basis": "clean" if record["legal_basis"] else "flagged",
        "_flags": "flagged" if flags else "clean",
    }


def audit_file(path: str | Path, today: dt.date | None = None) -> tuple[dict[str, Counter], Counter]:
    """Per field, the outcome counts; and the records skipped (by reason)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    skipped: Counter = Counter()
    for _, raw, error in national.iter_records(path):
        if raw is None:
            skipped[f"unreadable: {error}"] += 1
            continue
        if isinstance(raw.get("detail"), dict):
            record, _, why = portal.parse_record(raw, today=today)
            if record is None:
                skipped[why.split(":")[0]] += 1
                continue
        else:
            record, problems = national.parse_record(raw)
            record["flags"] = [{"field": p.field, "reason": p.reason} for p in problems]
        for name, outcome in audit_record(canonical_record(record)).items():
            if not name.startswith("_"):
                counts[name][outcome] += 1
    return counts, skipped


def format_audit(path: str | Path, counts: dict[str, Counter], skipped: Counter) -> str:
    total = sum(counts["time"].values())
    lines = [f"Audit of {Path(path).name}: {total} records", "| field | clean | repaired | flagged |",
             "|---|---|---|---|"]
    for name in FIELDS:
        row = counts.get(name, Counter())
        lines.append(f"| {name} | {row['clean']} | {row['repaired']} | {row['flagged']} |")
    lines += [f"skipped {number}: {why}" for why, number in skipped.most_common()]
    return "\n".join(lines)
