"""The labelled citizen queries of bench/search/queries.yml and a check of their codes against the catalogue."""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

QUERIES = Path(__file__).resolve().parent / "queries.yml"
STYLES = ("vi", "vi_plain", "teen", "en")


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    expected: tuple[str, ...]
    style: str


def load_queries(path: Path = QUERIES) -> list[LabelledQuery]:
    with open(path, encoding="utf-8") as handle:
        rows = yaml.safe_load(handle)["queries"]
    queries = [LabelledQuery(r["query"], tuple(str(c) for c in r["expected"]), r["style"]) for r in rows]
    unknown = sorted({q.style for q in queries} - set(STYLES))
    if unknown:
        raise ValueError(f"{path}: unknown styles {unknown}; use {STYLES}")
    return queries


def read_national(path: Path) -> list[dict]:
    """The national catalogue's records (JSON lines, gzip allowed)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def unknown_codes(queries: Iterable[LabelledQuery], codes: set[str]) -> list[tuple[str, str]]:
    """(query, code) pairs whose expected code is not in `codes`."""
    return [(q.query, c) for q in queries for c in q.expected if c not in codes]
