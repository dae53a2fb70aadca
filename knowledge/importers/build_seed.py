"""Maintainer tool: regenerate knowledge/seed/procedures.yml, the catalogue `make run` serves by default.

    python -m knowledge.importers.build_seed [--portal …] [--national …] [--usage …] [--share 0.99]

Which procedures: the citizen procedures that carry `--share` of the portal's usage
(``portal-usage-2025-12.csv``, audiences with "citizen"; codes the 2026 records replaced are mapped by
``curation/replaced_codes.yml``), plus every code of the curated selection (``curation/selection.yml``:
``{code: [aliases]}``, ``{code: {aliases, documents_case}}`` or hand-written ``{code: {name, …}}``). A
hand-written placeholder that ``curation/local_replacements.yml`` maps to a real record is replaced by it.

Facts: from the structured portal record of the code (knowledge.importers.portal), or the text-cell national
record where the portal has none. Aliases: the selection's, then ``curation/new_aliases.yml``. The output
is committed; CI never runs this (it reads ``../shared``). It prints the usage share the seed covers.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from pathlib import Path

import yaml

from knowledge.importers import national, portal
from knowledge.records import canonical_record, validate_record
from knowledge.settings import NATIONAL_CATALOGUE, PORTAL_CATALOGUE, PORTAL_USAGE

PROJECT = Path(__file__).resolve().parents[2]
SEED_DIR = PROJECT / "knowledge" / "seed"
CURATION = SEED_DIR / "curation"
VERIFIED_ON = dt.date(2026, 11, 30)
MAX_STEP_CHARS = 300  # longer steps are cut at a sentence end; the official link has the full text
HAND_WRITTEN_URL = "https://dichvucong.gov.vn"
NOTES_CASE = "Lưu ý"
USAGE_SHARE = 0.99


def shorten_step(step: str, limit: int = MAX_STEP_CHARS) -> str:
    """Cut an over-long step after the last full sentence that fits; never rewrites words."""
    if len(step) <= limit:
        return step
    cut = max((m.end() for m in re.finditer(r"[.;:](?=\s)", step[:limit])), default=0)
    return (step[:cut] if cut > limit // 3 else step[:limit].rsplit(" ", 1)[0]).rstrip() + " …"


def seed_documents(documents: list[dict], cases: str | list[str] | None) -> list[dict]:
    """Documents kept from a national (text-cell) record: the selected cases (a substring of the case; "" = no
    case) and never the rows of a "Lưu ý" (notes) table, which explain rules rather than name a paper."""
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


def _load(path: Path) -> dict:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def citizen_usage(usage_path: Path, replaced: dict) -> tuple[dict[str, float], float]:
    """{current code: usage} over the citizen lists, and the total usage of those lists (retired codes too)."""
    weights: dict[str, float] = {}
    total = 0.0
    with open(usage_path, encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if "citizen" not in row["audience"]:
                continue
            weight = float(row["weight"])
            total += weight
            code = replaced.get(row["code"], row["code"]) if row["code"] in replaced else row["code"]
            if code:
                weights[code] = weights.get(code, 0.0) + weight
    return weights, total


def most_used(weights: dict[str, float], available: set[str], share: float) -> list[str]:
    """The fewest available codes whose usage reaches `share` of the available codes' usage."""
    ranked = sorted((c for c in weights if c in available), key=lambda c: -weights[c])
    target = share * sum(weights[c] for c in ranked)
    chosen, covered = [], 0.0
    for code in ranked:
        if covered >= target:
            break
        chosen.append(code)
        covered += weights[code]
    return chosen


def _raw_records(path: Path, codes: set[str], key: str) -> dict[str, dict]:
    return {raw[key]: raw for _, raw, _ in national.iter_records(path) if raw and raw.get(key) in codes}


def build(portal_path: Path, national_path: Path, usage_path: Path, share: float = USAGE_SHARE,
          today: dt.date = VERIFIED_ON) -> tuple[list[dict], list[str]]:
    selection = _load(CURATION / "selection.yml")
    replacements = {k: v for k, v in _load(CURATION / "local_replacements.yml").items() if v}
    new_aliases = _load(CURATION / "new_aliases.yml")
    replaced = _load(CURATION / "replaced_codes.yml")
    weights, total = citizen_usage(usage_path, replaced)
    portal_codes = {raw["code"] for _, raw, _ in national.iter_records(portal_path) if raw and raw.get("code")}
    notes: list[str] = []
    wanted: dict[str, dict] = {}
    for code, value in selection.items():
        if _is_hand_written(value) and code in replacements:
            real = replacements[code]["code"]
            wanted.setdefault(real, {"aliases": []})["aliases"] += value.get("aliases", [])
            notes.append(f"{code}: replaced by the portal record {real}")
        elif _is_hand_written(value):
            wanted[code] = value
        else:
            options = value if isinstance(value, dict) else {"aliases": value}
            wanted.setdefault(code, {"aliases": []})
            wanted[code]["aliases"] += options.get("aliases", [])
            if "documents_case" in options:
                wanted[code]["documents_case"] = options["documents_case"]
    top = most_used(weights, portal_codes, share)
    for code in top:
        wanted.setdefault(code, {"aliases": []})
    for code, aliases in new_aliases.items():
        if code in wanted and not _is_hand_written(wanted[code]):
            wanted[code]["aliases"] += aliases or []
    codes = set(wanted)
    portal_raw = _raw_records(portal_path, codes, "code")
    national_raw = _raw_records(national_path, codes - set(portal_raw), "ma_thu_tuc")
    records = []
    for code, value in wanted.items():
        if _is_hand_written(value):
            records.append(canonical_record(hand_written(code, value)))
            notes.append(f"{code}: written by hand (no official record)")
            continue
        if code in portal_raw:
            record, problems, skipped = portal.parse_record(portal_raw[code], today=today)
            if record is None:
                notes.append(f"{code}: SKIPPED {skipped}")
                continue
        elif code in national_raw:
            record, problems = national.parse_record(national_raw[code])
            record["documents"] = seed_documents(record["documents"], value.get("documents_case"))
            record["source"] = "national"
        else:
            notes.append(f"{code}: MISSING from both files")
            continue
        record.update(aliases=list(dict.fromkeys(value["aliases"])), verified_on=VERIFIED_ON,
                      usage=int(weights.get(code, 0)), steps=[shorten_step(s) for s in record["steps"]])
        records.append(canonical_record(record))
        notes += [f"{code}: {p.field}: {p.reason}" for p in problems]
    for record in records:
        errors = validate_record(record)
        if errors:
            notes.append(f"{record['code']}: INVALID {errors}")
    served = {r["code"] for r in records}
    covered = sum(w for c, w in weights.items() if c in served)
    notes.append(f"usage covered: {covered / total:.2%} of all citizen usage "
                 f"({covered / sum(w for c, w in weights.items() if c in portal_codes):.2%} of the usage of "
                 f"codes that have a current record); {len(top)} most used codes + curated = {len(records)}")
    records.sort(key=lambda r: (-r["usage"], r["code"]))
    return records, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portal", type=Path, default=PORTAL_CATALOGUE)
    parser.add_argument("--national", type=Path, default=NATIONAL_CATALOGUE)
    parser.add_argument("--usage", type=Path, default=PORTAL_USAGE)
    parser.add_argument("--share", type=float, default=USAGE_SHARE)
    parser.add_argument("--output", type=Path, default=SEED_DIR / "procedures.yml")
    args = parser.parse_args(argv)
    records, notes = build(args.portal, args.national, args.usage, args.share)
    text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000)
    args.output.write_text(text, encoding="utf-8")
    for note in notes:
        print(note, file=sys.stderr)
    print(f"wrote {len(records)} procedures, {len(text.encode()) // 1024} KB → {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
