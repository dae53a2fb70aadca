"""Remove personal data from a citizen's message before it is stored or reaches Rasa.

Replaced: Vietnamese phone numbers (mobile and landline, "0…" or "+84…", with spaces, dots or dashes),
9- and 12-digit ID numbers (CMND/CCCD) written as one run of digits, and e-mail addresses. Left alone: short
numbers, years, amounts such as "10.000" or "100.000.000", procedure codes such as "1.001193".
The placeholders are in knowledge/data/redaction.yml.
"""
from __future__ import annotations

import functools
import re

from knowledge.text import load_data

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A candidate phone number: a national prefix then 9 or 10 more digits, groups split by one separator.
_PHONE = re.compile(
    r"(?<![\w+.,])(?P<prefix>\(?\+84\)?|0084|84|0)[\s.\-]?(?P<rest>\d(?:[\s.\-]?\d){7,9})(?![\w]|[.,]\d)"
)
# An ID number: exactly 9 or 12 digits in a row, not part of a longer number or an amount.
_ID_NUMBER = re.compile(r"(?<![\w.,])(?:\d{12}|\d{9})(?![\w]|[.,]\d)")


@functools.lru_cache(maxsize=None)
def placeholders() -> dict[str, str]:
    return dict(load_data("redaction.yml")["placeholders"])


def _is_phone(match: re.Match) -> bool:
    prefix = match.group("prefix")
    digits = re.sub(r"\D", "", match.group("rest"))
    if prefix == "0":
        # 10 digits in all (mobile 0[35789]…), or 11 for a landline (02xx…).
        return (len(digits) == 9 and digits[0] in "35789") or (len(digits) == 10 and digits[0] == "2")
    if prefix == "84" and not re.fullmatch(r"\d+", match.group(0)):
        return False  # bare "84" then separators: too likely to be something else
    return (len(digits) == 9 and digits[0] in "35789") or (len(digits) == 10 and digits[0] == "2")


def redact(text: str) -> str:
    """`text` with phone numbers, ID numbers and e-mail addresses replaced by placeholders."""
    if not text:
        return text
    marks = placeholders()
    text = _EMAIL.sub(marks["email"], text)
    text = _PHONE.sub(lambda m: marks["phone"] if _is_phone(m) else m.group(0), text)
    return _ID_NUMBER.sub(marks["id_number"], text)
