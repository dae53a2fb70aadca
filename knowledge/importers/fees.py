"""Read the portal's fee cells: an amount, what it is per, who is exempt, and the dates it is valid.

The portal's cells carry its own mistakes: an amount of 0 whose note names a fee ("Miễn phí (- Lệ phí …
135.000 đồng/lần)"), amounts valid only until a date long past, typos ("100 VNĐ"). A fee is free (0) only
when its cell says 0 and its note names no amount and no rule that sets one; a contradiction is flagged for
staff and the amount left unknown (None), so the bot quotes the note instead of printing a wrong figure.
"""
from __future__ import annotations

import datetime as dt
import re

# Smallest believable fee; below it an amount is a typo ("100 VNĐ" for 100.000).
MIN_AMOUNT = 1000
_AMOUNT = re.compile(
    r"(?<![\d/.,])(\d{1,3}(?:[.,]\d{3})+|\d{4,})(?:\s*(?:đồng|đ|vnđ|vnd)\b)?"
    r"|(?<![\d/.,])(\d{1,3})\s*(?:đồng|vnđ|vnd)\b",
    re.IGNORECASE,
)
_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
_UNTIL = re.compile(r"(?:đến\s+hết|đến)\s*(?:ngày\s*)?" + _DATE, re.IGNORECASE)
_FROM = re.compile(r"(?:từ|kể từ)\s*(?:ngày\s*)?" + _DATE, re.IGNORECASE)
_PER = re.compile(r"(?:\d{3}|đồng|đ)\s*/\s*(?:01\s+|1\s+)?([a-zà-ỹ]+(?:\s+[a-zà-ỹ]+){0,2})")
_EXEMPT = re.compile(r"[^.;\n]*\bmiễn\b(?!\s+phí\s*$)[^.;\n]*", re.IGNORECASE)
# A note that refers the amount to a rule: the fee exists, its figure is in that text.
_SET_ELSEWHERE = re.compile(
    r"thông tư|nghị quyết|nghị định|mức thu|hội đồng nhân dân|hđnd|theo quy định|quy định về phí|biểu phí",
    re.IGNORECASE,
)
_FREE_WORDS = re.compile(r"^\W*(?:miễn phí|không thu(?: phí| lệ phí)?|không|không có|0)\W*$", re.IGNORECASE)
_YEAR_RANGE = range(1990, 2101)
# Clauses of a note: bullets ("- …", "+ …"), sentences, semicolons.
_CLAUSE = re.compile(r"(?:(?<=[.;])\s+|\s+[-+]\s+|^[-+]\s+|\n+)")
_EXEMPTION_ONLY = re.compile(r"miễn.{0,40}(trường hợp|đối tượng|thuộc diện)", re.IGNORECASE | re.DOTALL)


def _date(match: re.Match | None) -> dt.date | None:
    if match is None:
        return None
    day, month, year = (int(group) for group in match.groups())
    try:
        return dt.date(year, month, day) if year in _YEAR_RANGE else None
    except ValueError:
        return None


def amounts_in(text: str) -> list[int]:
    """VND amounts a note names ("135.000 đồng", "200.000đ", "1.500.000"), at least MIN_AMOUNT."""
    found = []
    for match in _AMOUNT.finditer(text or ""):
        digits = re.sub(r"\D", "", match.group(1) or match.group(2))
        before = (text or "")[max(0, match.start() - 12):match.start()].lower()
        if not digits or re.search(r"(số|năm|ngày|/)\s*$", before):
            continue
        value = int(digits)
        if value >= MIN_AMOUNT and not (1900 <= value <= 2100 and not match.group(0).lower().endswith(("đ", "đồng"))):
            found.append(value)
    return found


def _short(text: str, limit: int = 400) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _own_clause(description: str, amount: int | None) -> str:
    """The clause of the note that states `amount` (its dates are the amount's); the whole note when the
    amount is not written in it and the note is one clause."""
    clauses = [c for c in _CLAUSE.split(description) if c.strip()]
    if amount:
        written = {f"{amount:,}".replace(",", "."), f"{amount:,}", str(amount)}
        for clause in clauses:
            if any(w in clause for w in written):
                return clause
    return description if len(clauses) <= 1 or not amount else ""


def parse_fee(item: dict) -> tuple[dict, list[str]]:
    """One portal fee item → (fee, flags). ``amount`` is None when it is not a clean figure."""
    description = _short(item.get("description") or "")
    value = item.get("value")
    value = int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None
    named = amounts_in(description)
    flags: list[str] = []
    amount: int | None = value
    if value is None:
        flags.append(f"fee without a value: {description[:80]!r}")
    elif 0 < value < MIN_AMOUNT:
        flags.append(f"amount {value} VND is not believable (a typo?); the note says {description[:80]!r}")
        amount = None
    elif value == 0 and _EXEMPTION_ONLY.search(description) and not named:
        amount = None  # an exemption, not an amount: "Miễn phí - Trường hợp công dân thuộc diện được miễn …"
    elif value == 0 and named:
        flags.append(f"amount 0 but the note names {', '.join(f'{n:,}'.replace(',', '.') for n in named[:3])} đồng")
        amount = None
    elif value == 0 and description and not _FREE_WORDS.match(description) and _SET_ELSEWHERE.search(description):
        amount = None  # the fee exists; its figure is in the rule the note names
    exempt = "; ".join(dict.fromkeys(m.group(0).strip(" -+*") for m in _EXEMPT.finditer(description)))
    per = _PER.search(description)
    fee = {
        "amount": amount,
        "unit": "VND" if amount else "",
        "per": per.group(1).strip().lower() if per and amount else "",
        "description": description,
        "exempt": _short(exempt or (description if _EXEMPTION_ONLY.search(description) else ""), 300)
        if amount != 0 else "",
        "valid_from": None,
        "valid_until": None,
    }
    own = _own_clause(description, amount)
    until, start = _date(_UNTIL.search(own)), _date(_FROM.search(own))
    if own != description and (_UNTIL.search(description) or _FROM.search(description)) and amount:
        flags.append("the note gives another amount or rate for a period: staff to check the answer quotes it")
    fee["valid_until"] = until.isoformat() if until else None
    fee["valid_from"] = start.isoformat() if start and (until is None or start <= until) else None
    return fee, flags


def is_current(fee: dict, today: dt.date) -> bool:
    """The fee is in force on `today` (no dates means in force)."""
    until = fee.get("valid_until")
    start = fee.get("valid_from")
    return (not until or dt.date.fromisoformat(until) >= today) and (not start or dt.date.fromisoformat(start) <= today)


def parse_fees(items: list, today: dt.date) -> tuple[list[dict], int | None, list[str]]:
    """A channel's fees, its one amount in force for everyone (0 = free for everyone, None = not one clean
    figure), and the flags raised."""
    fees, flags = [], []
    for item in items:
        if isinstance(item, dict):
            fee, fee_flags = parse_fee(item)
            fees.append(fee)
            flags += fee_flags
    current = [fee for fee in fees if is_current(fee, today) and not (fee["amount"] is None and fee["exempt"])]
    expired = [fee for fee in fees if not is_current(fee, today)]
    if expired and not current:
        flags.append("every amount's validity has ended: " + ", ".join(str(f["valid_until"]) for f in expired))
    amounts = {fee["amount"] for fee in current}
    if not current or None in amounts:
        summary = None
    elif amounts == {0}:
        summary = 0
    else:
        positive = amounts - {0}
        summary = positive.pop() if len(positive) == 1 and 0 not in amounts else None
    return fees, summary, flags
