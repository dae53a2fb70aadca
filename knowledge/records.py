"""The canonical procedure record (a plain dict): validation, normalisation, and conversion from a Procedure.

Seed YAML, JSON/CSV export and import, the national importer and the audit log all use this one shape
(see the contract's "Canonical procedure record"). Two records describe the same facts exactly when their
canonical forms are equal.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from knowledge.models import CHANNEL_KINDS, DOCUMENT_KINDS, LEVELS, Procedure

# Content fields, in the order records are written.
RECORD_FIELDS = (
    "code", "name", "aliases", "field", "level", "levels_published", "agency", "receiving_agency", "audience",
    "documents", "channels", "steps", "conditions", "result", "legal_basis", "full_online", "official_url",
    "source_url", "decision_number", "usage", "flags", "source", "verified_on", "verified_by",
)  # fmt: skip
# Bookkeeping a record may carry: which fields staff edited by hand (a national re-import keeps them).
META_FIELDS = ("edited_fields",)
TEXT_FIELDS = (
    "field", "agency", "receiving_agency", "audience", "conditions", "result", "official_url", "source_url",
    "decision_number", "source", "verified_by",
)  # fmt: skip
LIST_OF_TEXT_FIELDS = ("aliases", "levels_published", "steps")
DOCUMENT_FIELDS = ("name", "form", "quantity", "copies", "copy_kind", "kind", "case")
CHANNEL_FIELDS = (
    "kind", "time_value", "time_unit", "time_text", "time_source", "fee_amount", "fee_unit", "fee_text", "fees",
    "note",
)  # fmt: skip
FEE_FIELDS = ("amount", "unit", "per", "description", "exempt", "valid_from", "valid_until")
CODE_MAX_LENGTH = 32


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def validate_record(record: Any) -> list[str]:
    """Everything wrong with a record, as messages naming the field; [] when it can be stored."""
    if not isinstance(record, dict):
        return ["a procedure record must be a mapping"]
    errors: list[str] = []
    unknown = sorted(set(record) - set(RECORD_FIELDS) - set(META_FIELDS))
    if unknown:
        errors.append(f"unknown fields: {', '.join(map(str, unknown))}")
    code = record.get("code")
    if isinstance(code, float):
        errors.append(f'code: must be text; quote it in YAML ("{code}" loses its trailing zeros)')
    elif not isinstance(code, (str, int)) or isinstance(code, bool) or not str(code).strip():
        errors.append("code: required")
    elif len(str(code).strip()) > CODE_MAX_LENGTH:
        errors.append(f"code: longer than {CODE_MAX_LENGTH} characters")
    if not isinstance(record.get("name"), str) or not record["name"].strip():
        errors.append("name: required")
    if record.get("level") not in LEVELS:
        errors.append(f"level: must be one of {', '.join(LEVELS)} (got {record.get('level')!r})")
    for name in TEXT_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            errors.append(f"{name}: must be text")
    for name in LIST_OF_TEXT_FIELDS + META_FIELDS:
        value = record.get(name)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            errors.append(f"{name}: must be a list of texts")
    usage = record.get("usage")
    if usage is not None and (not _is_int(usage) or usage < 0):
        errors.append("usage: must be a whole number ≥ 0")
    flags = record.get("flags")
    if flags is not None and (
        not isinstance(flags, list)
        or not all(isinstance(f, dict) and isinstance(f.get("field"), str) for f in flags)
    ):
        errors.append("flags: must be a list of {field, reason}")
    if record.get("full_online") is not None and not isinstance(record["full_online"], bool):
        errors.append("full_online: must be true or false")
    try:
        _parse_date(record.get("verified_on"))
    except (TypeError, ValueError):
        errors.append("verified_on: must be a date YYYY-MM-DD")
    errors += _validate_items(record, "documents", DOCUMENT_FIELDS, _document_errors)
    errors += _validate_items(record, "channels", CHANNEL_FIELDS, _channel_errors)
    errors += _validate_items(record, "legal_basis", ("title", "number"), _legal_basis_errors)
    return errors


def _validate_items(record: dict, name: str, fields: tuple, check) -> list[str]:
    items = record.get(name)
    if items is None:
        return []
    if not isinstance(items, list):
        return [f"{name}: must be a list"]
    errors = []
    for position, item in enumerate(items, start=1):
        where = f"{name}[{position}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be a mapping")
            continue
        unknown = sorted(set(item) - set(fields))
        if unknown:
            errors.append(f"{where}: unknown fields: {', '.join(map(str, unknown))}")
        errors += [f"{where}.{message}" for message in check(item)]
    return errors


def _document_errors(item: dict) -> list[str]:
    errors = []
    if not isinstance(item.get("name"), str) or not item["name"].strip():
        errors.append("name: required")
    if item.get("kind", "submit") not in DOCUMENT_KINDS:
        errors.append(f"kind: must be one of {', '.join(DOCUMENT_KINDS)}")
    for name in ("quantity", "copies"):
        value = item.get(name)
        if value is not None and (not _is_int(value) or value < 0):
            errors.append(f"{name}: must be a whole number ≥ 0 or empty")
    errors += [f"{k}: must be text" for k in ("form", "copy_kind", "case") if not isinstance(item.get(k, ""), str)]
    return errors


def _channel_errors(item: dict) -> list[str]:
    errors = []
    if item.get("kind") not in CHANNEL_KINDS:
        errors.append(f"kind: must be one of {', '.join(CHANNEL_KINDS)} (got {item.get('kind')!r})")
    time_value = item.get("time_value")
    if time_value is not None and (not _is_number(time_value) or time_value < 0):
        errors.append("time_value: must be a number ≥ 0 or empty")
    fee = item.get("fee_amount")
    if fee is not None and (not _is_int(fee) or fee < 0):
        errors.append("fee_amount: must be a whole number of VND ≥ 0 or empty")
    texts = ("time_unit", "time_text", "time_source", "fee_unit", "fee_text", "note")
    errors += [f"{k}: must be text" for k in texts if not isinstance(item.get(k, ""), str)]
    fees = item.get("fees")
    if fees is None:
        return errors
    if not isinstance(fees, list) or not all(isinstance(f, dict) for f in fees):
        return errors + ["fees: must be a list of mappings"]
    for position, fee in enumerate(fees, start=1):
        unknown = sorted(set(fee) - set(FEE_FIELDS))
        if unknown:
            errors.append(f"fees[{position}]: unknown fields: {', '.join(unknown)}")
        amount = fee.get("amount")
        if amount is not None and (not _is_int(amount) or amount < 0):
            errors.append(f"fees[{position}].amount: must be a whole number of VND ≥ 0 or empty")
        elif amount and not (fee.get("unit") or "").strip():
            errors.append(f"fees[{position}].unit: an amount needs its unit (e.g. VND)")
        for name in ("valid_from", "valid_until"):
            try:
                _parse_date(fee.get(name))
            except (TypeError, ValueError):
                errors.append(f"fees[{position}].{name}: must be a date YYYY-MM-DD")
    return errors


def _legal_basis_errors(item: dict) -> list[str]:
    return [f"{k}: must be text" for k in ("title", "number") if not isinstance(item.get(k, ""), str)]


def _texts(values) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values or [] if v and v.strip()))


def _time_value(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _canonical_fee(fee: dict) -> dict:
    dates = {name: _parse_date(fee.get(name)) for name in ("valid_from", "valid_until")}
    return {
        "amount": fee.get("amount"),
        "unit": fee.get("unit") or "",
        "per": fee.get("per") or "",
        "description": fee.get("description") or "",
        "exempt": fee.get("exempt") or "",
        **{name: value.isoformat() if value else None for name, value in dates.items()},
    }


def canonical_record(record: dict) -> dict:
    """A valid record with every field present, defaults filled and values in one spelling."""
    verified_on = _parse_date(record.get("verified_on"))
    canonical = {
        "code": str(record["code"]).strip(),
        "name": record["name"].strip(),
        "aliases": _texts(record.get("aliases")),
        "level": record["level"],
        "levels_published": _texts(record.get("levels_published")),
        "documents": [
            {
                "name": d["name"].strip(),
                "form": d.get("form") or "",
                "quantity": d.get("quantity"),
                "copies": d.get("copies"),
                "copy_kind": d.get("copy_kind") or "",
                "kind": d.get("kind") or "submit",
                "case": d.get("case") or "",
            }
            for d in record.get("documents") or []
        ],
        "channels": [
            {
                "kind": c["kind"],
                "time_value": _time_value(c.get("time_value")),
                "time_unit": c.get("time_unit") or "",
                "time_text": c.get("time_text") or "",
                "time_source": c.get("time_source") or "",
                "fee_amount": c.get("fee_amount"),
                "fee_unit": c.get("fee_unit") or "",
                "fee_text": c.get("fee_text") or "",
                "fees": [_canonical_fee(f) for f in c.get("fees") or []],
                "note": c.get("note") or "",
            }
            for c in record.get("channels") or []
        ],
        "steps": [s for s in (record.get("steps") or []) if s and s.strip()],
        "legal_basis": [
            {"title": b.get("title") or "", "number": b.get("number") or ""}
            for b in record.get("legal_basis") or []
        ],
        "full_online": bool(record.get("full_online") or False),
        "usage": int(record.get("usage") or 0),
        "flags": [{"field": f["field"], "reason": f.get("reason") or ""} for f in record.get("flags") or []],
        "verified_on": verified_on.isoformat() if verified_on else None,
    }
    for name in TEXT_FIELDS:
        canonical[name] = (record.get(name) or "").strip()
    ordered = {name: canonical[name] for name in RECORD_FIELDS}
    if "edited_fields" in record:
        ordered["edited_fields"] = sorted(set(record.get("edited_fields") or []))
    return ordered


def procedure_to_record(procedure: Procedure) -> dict:
    """The canonical record of a stored procedure (documents and channels in order), with edited_fields."""
    record = {name: getattr(procedure, name) for name in RECORD_FIELDS if name not in ("documents", "channels")}
    record["documents"] = [{k: getattr(d, k) for k in DOCUMENT_FIELDS} for d in procedure.documents]
    record["channels"] = [{k: getattr(c, k) for k in CHANNEL_FIELDS} for c in procedure.channels]
    record["edited_fields"] = list(procedure.edited_fields or [])
    return canonical_record(record)
