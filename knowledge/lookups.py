"""Rasa lookup tables generated from the knowledge base: data/nlu/lookups/procedures.yml and wards.yml.

Each table lists the names as written and accent-folded, so entity features fire on text typed without
diacritics. `python -m knowledge lookups` writes them; `check-lookups` fails when they are stale.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from sqlalchemy.orm import Session

from knowledge.repository import list_procedures, list_wards, ward_names
from knowledge.settings import PROJECT_ROOT
from knowledge.text import fold, normalise

LOOKUP_DIR = Path("data") / "nlu" / "lookups"
# Official names longer than this are never typed by citizens; they would only slow the lookup regex.
MAX_NAME_WORDS = 15
_HEADER = "# Generated from the knowledge base by `python -m knowledge lookups`. Do not edit by hand.\n"
_PROCEDURE_PREFIX = re.compile(r"^thủ tục\s+", re.IGNORECASE)


def _table(name: str, examples: Iterable[str]) -> str:
    unique = list(dict.fromkeys(e for e in (normalise(x) for x in examples) if e))
    lines = "".join(f"    - {example}\n" for example in unique)
    return f'{_HEADER}version: "3.1"\nnlu:\n- lookup: {name}\n  examples: |\n{lines}'


def _with_folded(names: Iterable[str]) -> list[str]:
    names = list(names)
    return names + [fold(n) for n in names]


def procedure_examples(session: Session) -> list[str]:
    names = []
    for procedure in list_procedures(session):
        if len(procedure.name.split()) <= MAX_NAME_WORDS:
            names += [procedure.name, _PROCEDURE_PREFIX.sub("", procedure.name)]
        names += list(procedure.aliases or [])
    return _with_folded(names)


def ward_examples(session: Session) -> list[str]:
    return _with_folded(name for ward in list_wards(session) for name in ward_names(ward))


def render_lookups(session: Session) -> dict[Path, str]:
    """File path (relative to the project root) → content."""
    return {
        LOOKUP_DIR / "procedures.yml": _table("procedure", procedure_examples(session)),
        LOOKUP_DIR / "wards.yml": _table("ward", ward_examples(session)),
    }


def write_lookups(session: Session, root: Path = PROJECT_ROOT) -> list[Path]:
    written = []
    for relative, content in render_lookups(session).items():
        path = Path(root) / relative
        if path.exists() and path.read_text(encoding="utf-8") == content:
            continue  # unchanged: keep the timestamp, so `make` does not retrain for nothing
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def stale_lookups(session: Session, root: Path = PROJECT_ROOT) -> list[Path]:
    """The lookup files that are missing or differ from what `write_lookups` would write."""
    stale = []
    for relative, content in render_lookups(session).items():
        path = Path(root) / relative
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            stale.append(path)
    return stale
