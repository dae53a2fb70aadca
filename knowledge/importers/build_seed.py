"""Maintainer tool: regenerate knowledge/seed/procedures.yml from the curated selection.

    python -m knowledge.importers.build_seed [--national ../shared/tthc/…jsonl.gz]

Reads knowledge/seed/curation/selection.yml (a sub-folder, so `python -m knowledge seed`, which
loads knowledge/seed/*.yml, never mistakes it for records) ({code: [aliases]} for national records; {code: {aliases,
documents_case}} to keep only the documents of the case citizens need, e.g. "nhà ở riêng lẻ" of a
building permit that lists every kind of works; {code: {name, …}} for records written by hand)
and the national catalogue, parses each selected record with the national
importer, adds the curated aliases and writes the seed YAML. Not run in CI; the output is committed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

import yaml

from knowledge.importers.national import iter_records, parse_record
from knowledge.records import canonical_record, validate_record
from knowledge.settings import NATIONAL_CATALOGUE

PROJECT = Path(__file__).resolve().parents[2]
SEED_DIR = PROJECT / "knowledge" / "seed"
DEFAULT_NATIONAL = NATIONAL_CATALOGUE
VERIFIED_ON = dt.date(2026, 11, 28)
MAX_STEP_CHARS = 300  # longer steps are cut at a sentence end; the official link has the full text
HAND_WRITTEN_URL = "https://dichvucong.gov.vn"
NOTES_CASE = "Lưu ý"


def shorten_step(step: str, limit: int = MAX_STEP_CHARS) -> str:
    """Cut an over-long step after the last full sentence that fits; never rewrites words."""
    if len(step) <= limit:
        return step
    cut = max((m.end() for m in re.finditer(r"[.;:](?=\s)", step[:limit])), default=0)
    return (step[:cut] if cut > limit // 3 else step[:limit].rsplit(" ", 1)[0]).rstrip() + " …"


def seed_documents(documents: list[dict], cases: str | list[str] | None) -> list[dict]:
    """Documents kept in the seed: the selected cases (a substring of the case; "" = no case) and
    never the rows of a "Lưu ý" (notes) table, which explain rules rather than name a paper."""
    if isinstance(cases, str):
        cases = [cases]
    kept = [d for d in documents if not (d["case"].startswith(NOTES_CASE) and not d["quantity"])]
    if cases:
        kept = [d for d in kept if any(c in d["case"] if c else not d["case"] for c in cases)]
    return kept


def hand_written(code: str, fields: dict) -> dict:
    record = {
        "code": code, "aliases": fields.get("aliases", []), "documents": [], "channels": [],
        "steps": [], "legal_basis": [], "levels_published": [], "official_url": HAND_WRITTEN_URL,
        "source_url": "", "full_online": False, "verified_on": VERIFIED_ON,
    }
    record.update({k: v for k, v in fields.items() if k != "aliases"})
    return record


def _is_hand_written(value) -> bool:
    return isinstance(value, dict) and "name" in value


def build(selection: dict, national_path: Path) -> tuple[list[dict], list[str]]:
    wanted = {code for code, value in selection.items() if not _is_hand_written(value)}
    national = {}
    for _, raw, _ in iter_records(national_path):
        if raw and raw.get("ma_thu_tuc") in wanted:
            national[raw["ma_thu_tuc"]] = raw
    records, notes = [], []
    for code, value in selection.items():
        if _is_hand_written(value):
            records.append(canonical_record(hand_written(code, value)))
            notes.append(f"{code}: written by hand (not in the national file)")
            continue
        if code not in national:
            notes.append(f"{code}: MISSING from {national_path.name}")
            continue
        record, problems = parse_record(national[code])
        options = value if isinstance(value, dict) else {"aliases": value}
        record["documents"] = seed_documents(record["documents"], options.get("documents_case"))
        record.update(aliases=options["aliases"], verified_on=VERIFIED_ON,
                      steps=[shorten_step(step) for step in record["steps"]])
        records.append(canonical_record(record))
        notes += [f"{code}: {p.field}: {p.reason}" for p in problems]
    for record in records:
        errors = validate_record(record)
        if errors:
            notes.append(f"{record['code']}: INVALID {errors}")
    return records, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path, default=DEFAULT_NATIONAL)
    parser.add_argument("--selection", type=Path, default=SEED_DIR / "curation" / "selection.yml")
    parser.add_argument("--output", type=Path, default=SEED_DIR / "procedures.yml")
    args = parser.parse_args(argv)
    selection = yaml.safe_load(args.selection.read_text(encoding="utf-8"))
    records, notes = build(selection, args.national)
    text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000)
    args.output.write_text(text, encoding="utf-8")
    for note in notes:
        print(note, file=sys.stderr)
    print(f"wrote {len(records)} procedures, {len(text.encode()) // 1024} KB → {args.output}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
