"""Turn knowledge-base rows into the text that fills domain.yml response variables.

The small words (bullets, channel kinds, "free", units) come from knowledge/data/labels.yml; the facts come
from the procedure record. Nothing here invents a value: what the record lacks is said to be unknown.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterable, Optional, Sequence

import yaml

import knowledge
from knowledge.models import Channel, Document, Office, Procedure
from knowledge.text import fold

LABELS_PATH = Path(knowledge.__file__).resolve().parent / "data" / "labels.yml"
LANGUAGES = ("vi", "en")
MAX_DOCUMENTS = 12
MAX_STEPS = 8
MAX_STEP_CHARS = 400


@functools.lru_cache(maxsize=1)
def labels() -> dict:
    with LABELS_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def language_of(value: Optional[str]) -> str:
    return value if value in LANGUAGES else "vi"


def label(path: str, language: str, **variables) -> str:
    """`label("fees.free", "en")` -> "Free"; a plain string entry is the same in both languages."""
    entry = labels()
    for key in path.split("."):
        entry = entry[key]
    text = entry[language_of(language)] if isinstance(entry, dict) else entry
    return text.format(**variables) if variables else text


def bullets(lines: Iterable[str]) -> str:
    bullet = label("bullet", "vi")
    return "\n".join(f"{bullet}{line}" for line in lines)


def handled_by(procedure: Procedure, language: str) -> str:
    """The agency named by the record, else the generic name of its level."""
    if procedure.agency.strip():
        return procedure.agency.strip()
    level = procedure.level if procedure.level in labels()["levels"] else "other"
    return label(f"levels.{level}", language)


def official_link(procedure: Procedure, fallback: str) -> str:
    return procedure.official_url or procedure.source_url or fallback


# ---------------------------------------------------------------- documents
def document_line(document: Document, language: str) -> str:
    details = []
    if document.quantity and document.copy_kind:
        details.append(label("documents.copies", language, quantity=document.quantity, copy_kind=document.copy_kind))
    elif document.quantity is None and document.copy_kind:
        details.append(document.copy_kind)  # 0 copies marks a note in the national records: no copy line
    if document.form:
        details.append(label("documents.form", language, form=document.form))
    if document.case:
        details.append(label("documents.case", language, case=document.case))
    name = document.name.strip()
    return f"{name} ({'; '.join(details)})" if details else name


def is_conditional(document: Document) -> bool:
    """A paper only some applicants need: it names its case, or its text opens with one ("Trường hợp …") or
    says "in the case where" / "if any"."""
    words = labels()["documents"]
    text = fold(document.name).lstrip("-+*• ")
    return (
        bool(document.case)
        or text.startswith(tuple(words["conditional_openings"]))
        or any(phrase in text for phrase in words["conditional_phrases"])
    )


def documents_text(documents: Sequence[Document], language: str, limit: int = MAX_DOCUMENTS) -> str:
    """Papers to hand in, then papers to show, each with the papers everybody needs first; at most `limit`
    lines, the rest counted."""
    submit = sorted((d for d in documents if d.kind != "present"), key=is_conditional)
    present = sorted((d for d in documents if d.kind == "present"), key=is_conditional)
    shown = 0
    parts = []
    for heading, group in (("documents.submit_heading", submit), ("documents.present_heading", present)):
        room = max(limit - shown, 0)
        lines = [document_line(d, language) for d in group[:room]]
        shown += len(lines)
        if lines:
            if present:  # headings only help when both kinds are listed
                parts.append(label(heading, language))
            parts.append(bullets(lines))
    hidden = len(documents) - shown
    if hidden > 0:
        parts.append(label("documents.more", language, count=hidden))
    return "\n".join(parts)


# ---------------------------------------------------------------- channels: fee and time
def _grouped(channels: Sequence[Channel], describe, language: str) -> str:
    """One line per distinct value, naming the channels it applies to, in the record's order."""
    groups: dict[str, list[str]] = {}
    for channel in channels:
        kind = channel.kind if channel.kind in labels()["channel_kinds"] else "in_person"
        groups.setdefault(describe(channel, language), []).append(label(f"channel_kinds.{kind}", language))
    separator = label("separator", language)
    lines = []
    for value, kinds in groups.items():
        unique = list(dict.fromkeys(kinds))
        lines.append(f"{separator.join(unique)}: {value}")
    return bullets(lines)


def format_amount(amount: int, language: str) -> str:
    digits = f"{amount:,}".replace(",", label("fees.thousands_separator", language))
    return label("fees.amount", language, amount=digits)


def fee_of(channel: Channel, language: str) -> str:
    text = (channel.fee_text or "").strip()
    if channel.fee_amount == 0 and (not text or fold(text) == fold(label("fees.free", "vi"))):
        return label("fees.free", language)
    if text:
        return text
    if channel.fee_amount is not None:
        return format_amount(channel.fee_amount, language)
    return label("fees.not_stated", language)


def fees_text(channels: Sequence[Channel], language: str) -> str:
    if not channels:
        return bullets([label("fees.not_stated", language)])
    return _grouped(channels, fee_of, language)


def _number(value: float) -> str:
    return f"{value:g}"


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def time_of(channel: Channel, language: str) -> str:
    unit = (channel.time_unit or "").strip()
    if language == "en" and channel.time_value is not None and unit:
        english = labels()["times"]["units_en"].get(fold(unit))
        if english:
            return f"{_number(channel.time_value)} {english}"
    text = (channel.time_text or "").strip()
    if text and not _is_number(text):
        return text
    if channel.time_value is not None and unit:
        return f"{_number(channel.time_value)} {unit}"
    if channel.time_value is not None or text:
        value = _number(channel.time_value) if channel.time_value is not None else text
        return label("times.no_unit", language, value=value)
    return label("times.not_stated", language)


def times_text(channels: Sequence[Channel], language: str) -> str:
    if not channels:
        return bullets([label("times.not_stated", language)])
    return _grouped(channels, time_of, language)


def has_online_channel(procedure: Procedure) -> bool:
    return any(channel.kind == "online" for channel in procedure.channels)


# ---------------------------------------------------------------- steps
def steps_text(steps: Sequence[str], language: str, limit: int = MAX_STEPS) -> str:
    lines = []
    for number, step in enumerate(steps[:limit], start=1):
        step = " ".join(str(step).split())
        if len(step) > MAX_STEP_CHARS:
            step = step[: MAX_STEP_CHARS - 1].rstrip() + "…"
        lines.append(label("steps.item", language, number=number, step=step))
    if len(steps) > limit:
        lines.append(label("steps.more", language, count=len(steps) - limit))
    return "\n".join(lines)


# ---------------------------------------------------------------- offices
def office_details(office: Optional[Office], language: str) -> str:
    """One line per known detail; "" when the office or all its details are unknown."""
    if office is None:
        return ""
    lines = [
        label(f"office.{key}", language, **{key: value.strip()})
        for key, value in (("address", office.address), ("hours", office.hours), ("phone", office.phone), ("url", office.url))
        if (value or "").strip()
    ]
    return "\n".join(lines)
