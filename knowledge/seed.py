"""Load the seed catalogue (knowledge/seed/*.yml: lists of canonical records), the citizens' vocabulary
(knowledge/seed/vocabulary/*.yml), the guides
(knowledge/seed/guides/*.yml), the document checklists (knowledge/seed/checklists/*.yml) and Huế's wards and
offices.

Idempotent: a second run reports every procedure, guide and checklist "unchanged"; fields staff edited are
kept (guides and checklists staff changed in the database are left as they are).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Callable

import yaml
from sqlalchemy.orm import sessionmaker

from knowledge.checklists import seed_checklists
from knowledge.guides import seed_guides
from knowledge.repository import upsert_procedure, upsert_vocabulary
from knowledge.wards import sync_wards

SEED_DIR = Path(__file__).resolve().parent / "seed"
ACTOR = "seed"
_BATCH = 200  # records per transaction


class SeedError(ValueError):
    """A seed file that is not a list of records."""


def read_seed_file(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        records = yaml.safe_load(handle) or []
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise SeedError(f"{path}: expected a YAML list of procedure records")
    return records


def seed_vocabulary(session, folder: Path, actor: str) -> Counter:
    """Upsert the citizens' vocabulary of folder/*.yml (lists of {phrase, term}); entries staff changed are
    kept."""
    counts: Counter = Counter()
    for path in sorted(folder.glob("*.yml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(entries, list) or not all(isinstance(e, dict) and e.get("phrase") and e.get("term")
                                                    for e in entries):
            raise SeedError(f"{path}: expected a YAML list of {{phrase, term}}")
        for entry in entries:
            counts["vocabulary_" + upsert_vocabulary(session, str(entry["phrase"]), str(entry["term"]), actor,
                                                     keep_edited=True)] += 1
    return counts


def seed(
    session_factory: sessionmaker,
    seed_dir: Path = SEED_DIR,
    *,
    progress: Callable[[str], None] = print,
    wards: bool = True,
) -> Counter:
    """Upsert every record of seed_dir/*.yml, the guides and checklists, then the wards and offices; returns
    counts by outcome."""
    counts: Counter = Counter()
    for path in sorted(Path(seed_dir).glob("*.yml")):
        records = read_seed_file(path)
        for start in range(0, len(records), _BATCH):
            with session_factory() as session, session.begin():
                for record in records[start : start + _BATCH]:
                    counts[str(upsert_procedure(session, record, actor=ACTOR))] += 1
            progress(f"{path.name}: {min(start + _BATCH, len(records))}/{len(records)} procedures")
    words = Path(seed_dir) / "vocabulary"
    if words.is_dir():
        with session_factory() as session, session.begin():
            found = seed_vocabulary(session, words, ACTOR)
        counts.update(found)
        progress("vocabulary: " + ", ".join(f"{n} {k.split('_', 1)[1]}" for k, n in sorted(found.items())))
    for folder, load in (("guides", seed_guides), ("checklists", seed_checklists)):
        if (Path(seed_dir) / folder).is_dir():
            with session_factory() as session, session.begin():
                found = load(session, Path(seed_dir) / folder, ACTOR)
            counts.update(found)
            progress(f"{folder}: " + ", ".join(f"{n} {k.split('_', 1)[1]}" for k, n in sorted(found.items())))
    if wards:
        with session_factory() as session, session.begin():
            counts.update(sync_wards(session))
        progress(
            f"wards: {counts['wards_created']} created, {counts['wards_updated']} updated; "
            f"offices: {counts['offices_created']} created, {counts['offices_updated']} completed"
        )
    return counts
