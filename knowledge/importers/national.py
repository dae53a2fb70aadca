"""Import the national procedure catalogue (dichvucong.gov.vn records, JSON lines) into the KB.

``parse_record`` turns one portal record into the canonical procedure record (see the contract in
knowledge/models.py and the seed YAML) and lists what it could not parse; ``import_file`` upserts a
whole file in batches through ``knowledge.repository.upsert_procedure``.
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Iterator

from knowledge.importers.national_cells import NO_INFO, parse_channels, parse_legal_basis
from knowledge.importers.national_documents import parse_documents
from knowledge.importers.report import ParseProblem

# cap_thuc_hien values, most local first: the level that decides where a citizen goes.
LEVEL_BY_PUBLISHED = (("Cấp xã", "ward"), ("Cấp tỉnh", "city"), ("Cấp bộ", "ministry"))
_RESULT_CODE = re.compile(r"Mã:\s*KQ(?:\.[A-Z]*\d+)+")
_RESULT_END = re.compile(r"Từ khóa|Chọn cơ quan thực hiện")
_STEP_HEADING = re.compile(r"(?:^|\n)\s*(?=Bước\s*\d+\s*[:.\-])")


def _text(value) -> str:
    text = re.sub(r"[ \t]+", " ", str(value or "")).strip()
    return "" if text == NO_INFO else text


def parse_steps(cell: str) -> list[str]:
    """Split ``trinh_tu_thuc_hien`` on "Bước N" headings, else on lines starting with "-" (or "+")."""
    text = (cell or "").replace("\r", "").strip()
    if not text or text == NO_INFO:
        return []
    if len(re.findall(r"Bước\s*\d+", text)) >= 2:
        parts = _STEP_HEADING.split(text)
    else:
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        marker = "-" if any(line.startswith("-") for line in lines) else "+"
        parts, current = [], []
        for line in lines:
            if line.startswith(marker) and current:
                parts.append("\n".join(current))
                current = []
            current.append(line)
        parts.append("\n".join(current))
    steps = [re.sub(r"\n{2,}", "\n", re.sub(r"^[-+]\s*", "", part.strip())) for part in parts]
    return [re.sub(r"[ \t]+", " ", step).strip() for step in steps if step.strip()]


def parse_result(cell: str) -> str:
    """``ket_qua_xu_ly`` → the result names, without their "Mã: KQ…" codes and the page's tail."""
    text = _RESULT_END.split(cell or "")[0]
    names = [_text(part).strip(" ;") for part in _RESULT_CODE.split(text)]
    return "; ".join(name for name in names if name)


def parse_level(cap_thuc_hien: str) -> tuple[list[str], str]:
    published = [part.strip() for part in (cap_thuc_hien or "").split(",") if part.strip()]
    for label, level in LEVEL_BY_PUBLISHED:
        if label in published:
            return published, level
    return published, "other"


def parse_record(raw: dict) -> tuple[dict, list[ParseProblem]]:
    """One national portal record → (canonical procedure record, problems)."""
    code = _text(raw.get("ma_thu_tuc"))
    problems: list[tuple[str, str]] = []
    if not code:
        problems.append(("code", "record has no ma_thu_tuc"))
    name = _text(raw.get("ten_thu_tuc"))
    if not name:
        problems.append(("name", "record has no ten_thu_tuc"))
    levels_published, level = parse_level(raw.get("cap_thuc_hien", ""))
    if not levels_published:
        problems.append(("level", "no cap_thuc_hien"))
    channels, channel_problems = parse_channels(raw.get("cach_thuc_thuc_hien", ""))
    documents, document_problems = parse_documents(raw.get("thanh_phan_ho_so", ""))
    legal_basis, legal_problems = parse_legal_basis(raw.get("can_cu_phap_ly", ""))
    problems += channel_problems + document_problems + legal_problems
    url = _text(raw.get("detail_url"))
    if not url.startswith("https://"):
        problems.append(("official_url", f"detail_url is not an https link: {url[:60]!r}"))
    record = {
        "code": code,
        "name": name,
        "aliases": [],
        "field": _text(raw.get("linh_vuc")),
        "level": level,
        "levels_published": levels_published,
        "agency": _text(raw.get("co_quan_co_tham_quyen")) or _text(raw.get("co_quan_thuc_hien")),
        "audience": _text(raw.get("doi_tuong_thuc_hien")),
        "documents": documents,
        "channels": channels,
        "steps": parse_steps(raw.get("trinh_tu_thuc_hien", "")),
        "conditions": _text(raw.get("yeu_cau_dieu_kien")),
        "result": parse_result(raw.get("ket_qua_xu_ly", "")),
        "legal_basis": legal_basis,
        "full_online": any(channel["kind"] == "online" for channel in channels),
        "official_url": url,
        "source_url": url,
        "decision_number": _text(raw.get("so_quyet_dinh")),
        "verified_on": None,
    }
    return record, [ParseProblem(code, field_name, reason) for field_name, reason in problems]


def iter_records(path: str | Path) -> Iterator[tuple[int, dict | None, str]]:
    """Yield (line number, raw record or None, error) from .jsonl.gz, .jsonl or a .json list."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        if path.name.endswith(".json"):
            try:
                records = json.load(stream)
            except json.JSONDecodeError as error:
                yield 0, None, f"not valid JSON: {error}"
                return
            if not isinstance(records, list):
                yield 0, None, "a .json file must hold a list of records"
                return
            for number, record in enumerate(records, start=1):
                if isinstance(record, dict):
                    yield number, record, ""
                else:
                    yield number, None, "item is not an object"
            return
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, None, f"malformed JSON line: {error.msg}"
                continue
            if isinstance(record, dict):
                yield number, record, ""
            else:
                yield number, None, "line is not a JSON object"
