"""The procedure edit form: what it shows (`procedure_form_values`) and what a submitted form changes
(`procedure_changes`), with a message for every value that cannot be read. The record-level checks
(knowledge.records.validate_record) run when the change is saved."""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Mapping
from urllib.parse import urlsplit

from knowledge.models import CHANNEL_KINDS, Procedure
from knowledge.records import DOCUMENT_FIELDS

# "50.000", "50 000", "50,000" (VND have no decimals) → 50000.
_AMOUNT = re.compile(r"\d{1,3}(?:[., ]\d{3})+|\d+")


def _number_text(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def procedure_form_values(procedure: Procedure) -> dict:
    """The form's fields as text, from the stored procedure."""
    return {
        "aliases": "\n".join(procedure.aliases or []),
        "steps": "\n".join(procedure.steps or []),
        "official_url": procedure.official_url or "",
        "documents": json.dumps([{k: getattr(d, k) for k in DOCUMENT_FIELDS} for d in procedure.documents],
                                ensure_ascii=False, indent=1),
        "channels": [
            {
                "kind": channel.kind,
                "time_value": _number_text(channel.time_value),
                "time_unit": channel.time_unit or "",
                "fee_amount": "" if channel.fee_amount is None else str(channel.fee_amount),
                "fee_unit": channel.fee_unit or "",
                "fees": json.dumps(channel.fees or [], ensure_ascii=False, indent=1),
            }
            for channel in procedure.channels
        ],
    }


def procedure_changes(
    form: Mapping[str, str], procedure: Procedure, texts: Mapping[str, str], staff: str, today: dt.date
) -> tuple[dict, list[str], dict]:
    """(record changes, error messages, the form's values to show again). Channels keep their other fields."""
    errors: list[str] = []
    aliases = [line.strip() for line in str(form.get("aliases") or "").splitlines() if line.strip()]
    # Fields a form does not carry are left as they are.
    current = procedure_form_values(procedure)
    values = {"aliases": "\n".join(aliases), "channels": [],
              **{name: str(form[name]).strip() if name in form else current[name]
                 for name in ("steps", "official_url", "documents")}}
    steps = [line.strip() for line in values["steps"].splitlines() if line.strip()]
    official_url = values["official_url"]
    if official_url and official_url != procedure.official_url and not _is_https_url(official_url):
        errors.append(texts["bad_link"])
    documents = None
    if "documents" in form:
        try:
            documents = json.loads(values["documents"] or "[]")
        except ValueError as error:
            errors.append(texts["bad_documents"].format(reason=error.msg, line=error.lineno))
        else:
            if not isinstance(documents, list):
                errors.append(texts["documents_not_list"])
                documents = None
    channels = []
    for position, channel in enumerate(procedure.channels):
        field = lambda name: str(form.get(f"channel-{position}-{name}") or "").strip()  # noqa: E731
        shown = {"kind": channel.kind, **{name: field(name) for name in
                                          ("time_value", "time_unit", "fee_amount", "fee_unit", "fees")}}
        values["channels"].append(shown)
        label = {"channel": position + 1}
        updated = {name: getattr(channel, name) for name in (
            "kind", "time_value", "time_unit", "time_text", "time_source", "fee_amount", "fee_unit", "fee_text",
            "fees", "note")}
        updated["time_unit"], updated["fee_unit"] = shown["time_unit"], shown["fee_unit"]
        if shown["time_value"]:
            try:
                updated["time_value"] = float(shown["time_value"].replace(",", "."))
            except ValueError:
                errors.append(texts["bad_time"].format(**label))
        else:
            updated["time_value"] = None
        if updated["time_value"] is not None and not shown["time_unit"]:
            errors.append(texts["time_without_unit"].format(**label))
        if shown["fee_amount"]:
            if _AMOUNT.fullmatch(shown["fee_amount"]):
                updated["fee_amount"] = int(re.sub(r"[., ]", "", shown["fee_amount"]))
            else:
                errors.append(texts["bad_amount"].format(**label))
        else:
            updated["fee_amount"] = None
        if updated["fee_amount"] and not shown["fee_unit"]:
            errors.append(texts["amount_without_unit"].format(**label))
        try:
            fees = json.loads(shown["fees"] or "[]")
        except ValueError as error:
            errors.append(texts["bad_fees"].format(reason=error.msg, line=error.lineno, **label))
        else:
            if isinstance(fees, list):
                updated["fees"] = fees
            else:
                errors.append(texts["fees_not_list"].format(**label))
        if not form.get(f"channel-{position}-remove"):
            channels.append(updated)
    new_kind = str(form.get("new_channel") or "")
    if new_kind in CHANNEL_KINDS:
        channels.append({"kind": new_kind, "fees": []})  # its time and fee are filled in after the save
    elif new_kind:
        errors.append(texts["bad_channel"])
    changes: dict = {"aliases": aliases, "channels": channels}
    if "steps" in form:
        changes["steps"] = steps
    if "official_url" in form:
        changes["official_url"] = official_url
    if documents is not None:
        changes["documents"] = documents
    if form.get("verified"):
        changes["verified_on"], changes["verified_by"] = today.isoformat(), staff
    return changes, errors, values


def _is_https_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.hostname) and " " not in value
