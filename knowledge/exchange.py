"""Procedure records to and from JSON and CSV files (export/import by staff; a lossless round trip).

JSON: an array of canonical records. CSV: one row per procedure, one column per record field; list and
nested fields (aliases, documents, channels, steps, legal basis...) are JSON texts inside their cell.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import IO, Iterable

from knowledge.records import META_FIELDS, RECORD_FIELDS

FORMATS = ("json", "csv")
CSV_COLUMNS = RECORD_FIELDS + META_FIELDS
_JSON_COLUMNS = (
    "aliases", "levels_published", "documents", "channels", "steps", "legal_basis", "flags", "edited_fields",
)  # fmt: skip
_TRUE, _FALSE = ("true", "1", "yes", "có"), ("false", "0", "no", "không", "")


class RecordFileError(ValueError):
    """A file of records that cannot be read; the message says where and why."""


def write_records(records: Iterable[dict], fmt: str, stream: IO[str]) -> int:
    """Write records as `fmt` ("json" or "csv"); returns how many."""
    records = list(records)
    if fmt == "json":
        json.dump(records, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({name: _cell(name, record.get(name)) for name in CSV_COLUMNS})
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return len(records)


def _cell(name: str, value) -> str:
    if name in _JSON_COLUMNS:
        return json.dumps(value if value is not None else [], ensure_ascii=False)
    if name == "full_online":
        return "true" if value else "false"
    return "" if value is None else str(value)


def read_records(path: str | Path, fmt: str | None = None) -> list[dict]:
    """The records in a .json or .csv file (format from `fmt` or the extension). Raises RecordFileError."""
    path = Path(path)
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise RecordFileError(f"{path}: unknown format {fmt!r}; name the file .json or .csv")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RecordFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RecordFileError(f"{path}: cannot read: {error}") from None
    return _read_json(path, text) if fmt == "json" else _read_csv(path, text)


def _read_json(path: Path, text: str) -> list[dict]:
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordFileError(f"{path}: malformed JSON at line {error.lineno}: {error.msg}") from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise RecordFileError(f"{path}: expected a JSON array of procedure records")
    return records


def _read_csv(path: Path, text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("code", "name", "level") if c not in (reader.fieldnames or [])]
    if missing:
        raise RecordFileError(f"{path}: missing CSV columns: {', '.join(missing)}")
    records = []
    for row_number, row in enumerate(reader, start=2):
        record = {}
        for name, cell in row.items():
            if name is None:
                raise RecordFileError(f"{path}, row {row_number}: more cells than columns")
            record[name] = _value(path, row_number, name, cell or "")
        records.append(record)
    return records


def _value(path: Path, row_number: int, name: str, cell: str):
    if name in _JSON_COLUMNS:
        try:
            return json.loads(cell) if cell.strip() else []
        except json.JSONDecodeError as error:
            raise RecordFileError(f"{path}, row {row_number}, column {name}: malformed JSON: {error.msg}") from None
    if name == "full_online":
        lowered = cell.strip().lower()
        if lowered not in _TRUE + _FALSE:
            raise RecordFileError(f"{path}, row {row_number}, column full_online: expected true or false")
        return lowered in _TRUE
    if name == "verified_on":
        return cell.strip() or None
    if name == "usage":
        try:
            return int(cell.strip() or 0)
        except ValueError:
            raise RecordFileError(f"{path}, row {row_number}, column usage: expected a whole number") from None
    return cell
