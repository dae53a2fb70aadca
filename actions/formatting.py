"""Turn knowledge-base rows into the text that fills domain.yml response variables.

The small words (bullets, channel kinds, "free", units) come from knowledge/data/labels.yml; the facts come
from the procedure record. Nothing here invents a value: what the record lacks is said to be unknown, and
what the record says in its own words (a fee's note, the sentence that gives a time) is quoted as such.
The documents answer is laid out in actions/documents.py, where to go in actions/offices.py.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

import yaml

import knowledge
from knowledge.importers.fees import amounts_in
from knowledge.models import Channel, Office, Procedure
from knowledge.text import fold

LABELS_PATH = Path(knowledge.__file__).resolve().parent / "data" / "labels.yml"
LANGUAGES = ("vi", "en")
MAX_STEPS = 8
MAX_STEP_CHARS = 400
# Longest quotation of a record's own words: a fee note, the note beside one of several amounts (its context),
# the sentence that gives a time.
QUOTE_CHARS = 160
CONTEXT_CHARS = 90
EXEMPT_CHARS = 120
TIME_QUOTE_CHARS = 240
# Longest procedure name an answer repeats (a few records' names run to 600 characters).
NAME_CHARS = 150
# A legal text a fee note refers to for its amount ("Thông tư số 75/2022/TT-BTC").
_LEGAL_TEXT = re.compile(
    r"(?:Thông tư|Nghị quyết|Nghị định|Quyết định|Luật)(?:\s+(?:liên tịch\s+)?số)?\s*[0-9][\w/.-]*", re.IGNORECASE
)


# "Miễn phí Đồng - " before the text of an exemption row says nothing more than "Miễn:".
_FREE_LEAD = re.compile(r"^\W*miễn (?:phí|lệ phí)\W*(?:đồng\W*)?", re.IGNORECASE)


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


def shortened(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary with "…" when longer than `limit`."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-(") + "…"


def quoted(text: str, language: str, limit: int = QUOTE_CHARS) -> str:
    """The record's own words, quoted and at most `limit` characters: “…” (list marks before them dropped)."""
    return label("quote", language, text=shortened(re.sub(r"^[\s\-+*•]+", "", str(text or "")), limit))


def handled_by(procedure: Procedure, language: str) -> str:
    """The agency named by the record, else the generic name of its level."""
    if procedure.agency.strip():
        return procedure.agency.strip()
    level = procedure.level if procedure.level in labels()["levels"] else "other"
    return label(f"levels.{level}", language)


def official_link(procedure: Procedure, fallback: str) -> str:
    return procedure.official_url or procedure.source_url or fallback


def date_text(value: Optional[str], language: str) -> str:
    """An ISO date as citizens write it: 31/12/2023."""
    return dt.date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


# ---------------------------------------------------------------- channels: fee
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


def fee_is_current(fee: dict, today: dt.date) -> bool:
    """In force on `today`: not ended before it, not starting after it (no dates: in force)."""
    until, start = fee.get("valid_until"), fee.get("valid_from")
    return (not until or dt.date.fromisoformat(until) >= today) and (
        not start or dt.date.fromisoformat(start) <= today
    )


_DATED = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


def _is_exemption(fee: dict) -> bool:
    """A fee row that only says who pays nothing ("Miễn phí - Trường hợp … thuộc diện được miễn")."""
    return fee.get("amount") is None and bool((fee.get("exempt") or "").strip())


def current_fees(channel: Channel, today: dt.date) -> List[dict]:
    return [fee for fee in channel.fees or [] if fee_is_current(fee, today)]


def expired_fees(channel: Channel, today: dt.date) -> List[dict]:
    return [
        fee for fee in channel.fees or []
        if fee.get("valid_until") and dt.date.fromisoformat(fee["valid_until"]) < today
    ]  # fmt: skip


def is_free(channel: Channel, today: dt.date) -> bool:
    """Free for everyone: the record's amount in force is 0 and every current fee is 0."""
    if channel.fee_amount != 0:
        return False
    if channel.fees:
        charged = [fee for fee in current_fees(channel, today) if not _is_exemption(fee)]
        return bool(charged) and all(fee.get("amount") == 0 for fee in charged)
    text = fold(channel.fee_text or "")
    return not text or text == fold(label("fees.free", "vi"))


def _per(fee: dict) -> str:
    per = (fee.get("per") or "").strip()
    return f"/{per}" if per else ""


def _fee_part(fee: dict, several: bool, language: str) -> str:
    """One fee in force: its amount and what it is per (with the note when it tells more), a zero amount
    with its note, or — when the amount is not one clean figure — the note quoted or the rule it names."""
    note = (fee.get("description") or "").strip()
    amount = fee.get("amount")
    if amount is None:
        if not note:
            return label("fees.not_stated", language)
        legal = _LEGAL_TEXT.search(note)
        if len(note) > QUOTE_CHARS and legal:
            return label("fees.set_by", language, legal=legal.group(0).strip())
        return quoted(note, language)
    if amount == 0:
        text = label("fees.free", language)
        return f"{text} {quoted(note, language)}" if note else text
    text = format_amount(amount, language) + _per(fee)
    if fee.get("valid_until"):
        text += label("fees.until", language, date=date_text(fee["valid_until"], language))
    if note and several:
        text += f" ({quoted(note, language, CONTEXT_CHARS)})"
    elif note and (set(amounts_in(note)) - {amount}
                   or (_DATED.search(note) and not fee.get("valid_until") and not fee.get("valid_from"))):
        text += f" ({quoted(note, language)})"  # another amount or a rate for a period: the record's words
    return text


def fee_of(channel: Channel, language: str, today: Optional[dt.date] = None) -> str:
    """What applying through `channel` costs, on `today`: "Miễn phí" only when free for everyone; otherwise
    the amounts in force with what they are per and who is exempt. An amount whose validity has ended is
    never given as current: its end date is said, and the official page has the amount in force."""
    today = today or dt.date.today()
    if is_free(channel, today):
        return label("fees.free", language)
    if not channel.fees:  # a record without structured fees (by hand, or the national text cells)
        text = (channel.fee_text or "").strip()
        if text:
            return quoted(text, language)
        if channel.fee_amount is not None:
            return format_amount(channel.fee_amount, language)
        return label("fees.not_stated", language)
    current = current_fees(channel, today)
    charged = [fee for fee in current if not _is_exemption(fee)]
    parts = list(dict.fromkeys(_fee_part(fee, len(charged) > 1, language) for fee in charged))
    if not parts:
        ended = expired_fees(channel, today)
        if ended:
            fee = ended[0]
            date = date_text(fee["valid_until"], language)
            if fee.get("amount"):
                amount = format_amount(fee["amount"], language) + _per(fee)
                parts.append(label("fees.ended", language, amount=amount, date=date))
            else:
                parts.append(label("fees.ended_unclear", language, date=date))
        else:
            parts.append(label("fees.not_stated", language))
    return "; ".join(parts)


def exemptions(channel: Channel, today: dt.date) -> List[str]:
    """Who the channel's fees in force exempt, as the record says it (shortened)."""
    return list(dict.fromkeys(
        shortened(_FREE_LEAD.sub("", fee["exempt"]), EXEMPT_CHARS)
        for fee in current_fees(channel, today) if (fee.get("exempt") or "").strip()
    ))  # fmt: skip


def fees_text(channels: Sequence[Channel], language: str, today: Optional[dt.date] = None) -> str:
    """A line per distinct fee with the channels it applies to, then who is exempt (once for all channels)."""
    if not channels:
        return bullets([label("fees.not_stated", language)])
    today = today or dt.date.today()
    text = _grouped(channels, lambda channel, lang: fee_of(channel, lang, today), language)
    exempt = list(dict.fromkeys(e for c in channels if not is_free(c, today) for e in exemptions(c, today)))
    if exempt:
        text += "\n" + label("fees.exempt", language, exempt="; ".join(exempt))
    return text


# ---------------------------------------------------------------- channels: time
def _number(value: float) -> str:
    return f"{value:g}"


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def time_of(channel: Channel, language: str) -> str:
    """Value and unit; the record's sentence quoted when the time was read from it; when the record gives no
    unit and no sentence, that the unit is not given (a bare "1" is never shown as a time)."""
    unit = (channel.time_unit or "").strip()
    source = (channel.time_source or "").strip()
    if channel.time_value is not None and unit:
        shown = unit
        if language == "en":
            shown = labels()["times"]["units_en"].get(fold(unit), unit)
        text = f"{_number(channel.time_value)} {shown}"
        if source:
            text += f" ({label('times.with_record', language, quote=quoted(source, language, TIME_QUOTE_CHARS))})"
        return text
    if source:
        return label("times.from_record", language, quote=quoted(source, language, TIME_QUOTE_CHARS))
    text = (channel.time_text or "").strip()
    procedure = getattr(channel, "procedure", None)
    from_cells = procedure is None or procedure.source != "portal"  # portal records keep the method's note here
    if text and not _is_number(text) and from_cells:
        return quoted(text, language)
    if channel.time_value is not None or (text and _is_number(text)):
        return label("times.no_unit", language)
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
