"""The benchmark's catalogue: a temporary SQLite KB (national catalogue + seed) and a synthetic N× enlargement."""
from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Callable, Iterator

import sqlalchemy as sa

from knowledge.db import make_engine, make_session_factory
from knowledge.migrate import upgrade
from knowledge.models import Procedure
from knowledge.repository import load_index
from knowledge.search import ProcedureIndex

Entry = tuple[str, str, list[str], str]

# Qualifiers appended to names in the synthetic copies: the kind of tails the real catalogue has.
_QUALIFIERS = [
    "(thực hiện tại cấp huyện)", "(thực hiện tại cấp trung ương)", "đối với tổ chức", "đối với cá nhân nước ngoài",
    "trên môi trường điện tử", "theo quy trình rút gọn", "tại cơ quan đại diện Việt Nam ở nước ngoài",
    "đối với trường hợp ủy quyền", "cho doanh nghiệp nhỏ và vừa", "tại khu kinh tế", "trong trường hợp bị hư hỏng",
    "đối với lực lượng vũ trang", "theo đề nghị của cơ quan nhà nước", "lần thứ hai trở lên",
]
_LEVELS = ("ward", "city", "ministry", "other")


def build_kb(
    database_url: str, national: Path | None, seed_dir: Path | None, progress: Callable[[str], None]
) -> None:
    """Create the schema, import the national catalogue (when given), then the seed catalogue (when given)."""
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        sessions = make_session_factory(engine)
        if national is not None:
            from knowledge.importers.catalogue import import_file

            report = import_file(sessions, national, progress=lambda m: progress(f"national: {m}"))
            if report.failed:
                progress(f"national: {len(report.failed)} records failed")
        if seed_dir is not None:
            from knowledge.seed import seed

            seed(sessions, seed_dir, progress=lambda m: progress(f"seed: {m}"), wards=False)
    finally:
        engine.dispose()


def read_entries(database_url: str) -> tuple[ProcedureIndex, list[Entry]]:
    """The index exactly as the bot loads it, and its (code, name, aliases, level) entries."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            index = load_index(session)
            rows = session.execute(sa.select(Procedure.code, Procedure.name, Procedure.aliases, Procedure.level))
            entries = [(code, name, list(aliases or []), level) for code, name, aliases, level in rows]
    finally:
        engine.dispose()
    return index, entries


def synthetic_copies(entries: list[Entry], factor: int, seed: int = 7) -> Iterator[Entry]:
    """`factor - 1` perturbed copies of each entry, with distinct codes: names with an appended qualifier,
    with their comma-separated parts shuffled, or both; no aliases; a random level."""
    rng = random.Random(seed)
    for copy in range(1, factor):
        for code, name, _aliases, _level in entries:
            parts = [p.strip() for p in re.split(r"[,;]", name) if p.strip()]
            kind = rng.randrange(3)
            if kind != 0 and len(parts) > 1:
                rng.shuffle(parts)
                perturbed = ", ".join(parts)
            else:
                perturbed = name
            if kind != 1 or len(parts) == 1:
                perturbed = f"{perturbed} {rng.choice(_QUALIFIERS)}"
            yield f"syn{copy}-{code}", perturbed, [], rng.choice(_LEVELS)
