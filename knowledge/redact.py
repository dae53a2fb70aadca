"""Remove personal data from text before it is stored, reaches Rasa or is logged.

Replaced by the placeholders of knowledge/data/redaction.yml:

- phone numbers: Vietnamese mobiles (0[35789]… , 10 digits) and landlines (02…, 11 digits), also written
  +84…, 84…, 0084… or "+84 (0) 905 123 456";
- ID numbers: any other run of 9 or more digits, which covers 9-digit CMND and 12-digit CCCD numbers (and
  the 10-digit social insurance and tax numbers);
- e-mail addresses, also "an @ example.com", "an[at]example[dot]com", "an (a còng) example chấm com".

The text is normalised first: NFKC (full-width digits, "＠", no-break spaces) and every Unicode decimal digit
as its ASCII digit. A number may then be split by separators (spaces, dots, dashes, slashes, underscores,
parentheses, invisible characters; up to four in a row) — "079 123 456 789", "0905_123_456", "0 9 0 5 1 2 3 4 5 6"
— and glued to words ("CCCD079123456789", "sdt0905123456"). Digits joined by separators are read as one
number, with a phone number looked for first so that "năm 1990 0905 123 456" keeps its year.

Left alone: shorter numbers ("7 ngày", "2025", "Mẫu CT01", hotlines 1022 and 18001096), dates ("28/11/2026"),
procedure codes ("1.001193") and amounts: a thousands-grouped number ending in ".000" or followed by a currency
word ("100.000.000 đồng", "1.500.000đ", "100 000 000 đồng").
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass

from knowledge.text import fold, load_data

# Characters that may split the digits of one number.
_SEPARATOR = r"[\s._/()\-\u00ad\u200b-\u200d\u2060\ufeff\u2010-\u2015\u2212]"
# A number: digit groups joined by separators, with a leading "+" and the brackets around it ("(+84) 905…").
_DIGIT_RUN = re.compile(r"(?:\(\s*)?\+?[0-9]+(?:" + _SEPARATOR + r"{1,4}[0-9]+)*(?:\s*\))?")
_DIGITS = re.compile(r"[0-9]+")
_NATIONAL_PHONE = re.compile(r"0[35789][0-9]{8}|02[0-9]{9}")
# Longest phone number as typed: 0084 + an 11-digit landline without its 0.
_MAX_PHONE_DIGITS = 14
MIN_ID_DIGITS = 9
CCCD_DIGITS = 12
_DATE_SEPARATORS = {"/", ".", "-"}
_THOUSANDS_SEPARATORS = {".", ",", " "}


@dataclass(frozen=True)
class _Group:
    """One run of ASCII digits inside a number: its span in the text and the separator before it."""

    start: int
    end: int
    digits: str
    separator: str  # text between the previous group and this one ("" for the first)


@functools.lru_cache(maxsize=None)
def placeholders() -> dict[str, str]:
    return dict(_table()["placeholders"])


@functools.lru_cache(maxsize=None)
def _table() -> dict:
    return load_data("redaction.yml")


@functools.lru_cache(maxsize=None)
def _currency() -> re.Pattern:
    words = sorted({fold(word) for word in _table()["currency_words"]} | set(_table()["currency_words"]), key=len)
    alternatives = "|".join(re.escape(word) for word in reversed(words))
    return re.compile(r"\s*(?:" + alternatives + r")(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def _email_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(bracketed or "@" forms, bare-word forms that need a known top-level domain)."""
    table = _table()

    def words(key: str) -> str:
        return "|".join(re.escape(word).replace(r"\ ", r"\s*") for word in table[key])

    at_words, dot_words = words("email_at_words"), words("email_dot_words")
    tlds = "|".join(re.escape(tld) for tld in table["top_level_domains"])
    local = r"(?<![\w.%+\-])[\w.%+\-]*\w"
    label = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    spaced_at = r"(?:\s+@\s*|\s*@\s+|\s*[\[({]\s*(?:" + at_words + r")\s*[\])}]\s*)"
    dot = r"(?:\.|\s*[\[({]\s*(?:" + dot_words + r")\s*[\])}]\s*|\s+(?:" + dot_words + r")\s+)"
    # "an@example" needs no dot; with spaces or words for "@" the domain must have one ("hỏi @UBND" is kept).
    marked = re.compile(
        local + r"(?:@" + label + r"(?:" + dot + label + r")*|" + spaced_at + label + r"(?:" + dot + label + r")+)"
        + r"(?![\w\-])",
        re.IGNORECASE,
    )
    bare_at = r"\s+(?:" + at_words + r")\s+"
    bare_dot = r"(?:\.|\s+(?:" + dot_words + r")\s+)"
    bare = re.compile(
        local + bare_at + label + r"(?:" + bare_dot + label + r")*" + bare_dot + r"(?:" + tlds + r")(?![\w\-])",
        re.IGNORECASE,
    )
    return marked, bare


def normalise(text: str) -> str:
    """NFKC, and every Unicode decimal digit as its ASCII digit ("０９", "٠٩" → "09")."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char for char in text)


def redact(text: str) -> str:
    """`text`, normalised, with phone numbers, ID numbers and e-mail addresses replaced by placeholders."""
    if not text:
        return text
    marks = placeholders()
    text = normalise(text)
    for pattern in _email_patterns():
        text = pattern.sub(lambda match: _spaced(text, match.start(), match.end(), marks["email"]), text)
    return _DIGIT_RUN.sub(lambda match: _redact_number(text, match, marks), text)


def _spaced(text: str, start: int, end: int, placeholder: str) -> str:
    """The placeholder, with a space on the side where it would be glued to a letter ("sdt0905…")."""
    before = " " if start > 0 and text[start - 1].isalnum() else ""
    after = " " if end < len(text) and text[end].isalnum() else ""
    return before + placeholder + after


def _groups(text: str, match: re.Match) -> list[_Group]:
    groups, previous_end = [], None
    for digits in _DIGITS.finditer(text, match.start(), match.end()):
        separator = "" if previous_end is None else text[previous_end:digits.start()]
        groups.append(_Group(digits.start(), digits.end(), digits.group(), separator))
        previous_end = digits.end()
    return groups


def _redact_number(text: str, match: re.Match, marks: dict[str, str]) -> str:
    groups = _groups(text, match)
    if sum(len(group.digits) for group in groups) < MIN_ID_DIGITS:
        return match.group(0)  # nothing long enough to be personal data
    kinds = _classify(text, groups)
    pieces, position, index = [], match.start(), 0
    while index < len(groups):
        kind = kinds[index]
        if kind is None:
            index += 1
            continue
        last = index
        while last + 1 < len(groups) and kinds[last + 1] == kind and kind != "protected":
            last += 1
        if kind != "protected":
            start, end = groups[index].start, groups[last].end
            lead = text[match.start():start] if index == 0 else ""
            if "+" in lead:
                start = match.start() + lead.index("+")
            start, end = _with_brackets(text, start, end, match.start(), match.end())
            pieces.append(text[position:start])
            pieces.append(_spaced(text, start, end, marks[kind.split(":")[0]]))
            position = end
        index = last + 1
    pieces.append(text[position:match.end()])
    return "".join(pieces)


def _with_brackets(text: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """The span widened (within low..high) to the bracket it leaves open: "(+84) 905…", "(0905) 123 456"."""
    span = text[start:end]
    opening = text.rfind("(", low, start)
    if opening >= 0 and span.count(")") > span.count("(") and not text[opening + 1 : start].strip():
        start = opening
    closing = text.find(")", end, high)
    if closing >= 0 and span.count("(") > span.count(")") and not text[end:closing].strip():
        end = closing + 1
    return start, end


def _classify(text: str, groups: list[_Group]) -> list[str | None]:
    """Per group: "protected" (date, amount, procedure code), "phone:<n>", "id_number:<n>" or None."""
    kinds: list[str | None] = [None] * len(groups)
    _protect_dates_codes_and_amounts(text, groups, kinds)
    segment: list[int] = []
    count = 0
    for index in range(len(groups) + 1):
        if index < len(groups) and kinds[index] is None:
            segment.append(index)
            continue
        count = _classify_segment(groups, segment, kinds, count)
        segment = []
    return kinds


def _classify_segment(groups: list[_Group], segment: list[int], kinds: list[str | None], count: int) -> int:
    """Mark phone numbers in a stretch of unprotected groups, longest first; then 9+ digits left over as IDs.

    A stretch of exactly 12 digits in equal groups ("079 123 456 789", one digit at a time) is a CCCD number even
    where its first ten digits would make a phone number.
    """
    lengths = {len(groups[index].digits) for index in segment}
    if len(lengths) == 1 and len(segment) * lengths.pop() == CCCD_DIGITS:
        count += 1
        for index in segment:
            kinds[index] = f"id_number:{count}"
        return count
    position = 0
    while position < len(segment):
        end = _phone_end(groups, segment, position)
        if end is None:
            position += 1
            continue
        count += 1
        for index in segment[position:end]:
            kinds[index] = f"phone:{count}"
        position = end
    stretch: list[int] = []
    for index in [*segment, None]:
        if index is not None and kinds[index] is None:
            stretch.append(index)
            continue
        if sum(len(groups[i].digits) for i in stretch) >= MIN_ID_DIGITS:
            count += 1
            for i in stretch:
                kinds[i] = f"id_number:{count}"
        stretch = []
    return count


def _phone_end(groups: list[_Group], segment: list[int], position: int) -> int | None:
    """The end (exclusive, in `segment`) of the longest phone number starting at `segment[position]`."""
    digits, candidates = "", []
    if groups[segment[position]].digits[0] not in "08":
        return None
    for end in range(position, len(segment)):
        digits += groups[segment[end]].digits
        if len(digits) > _MAX_PHONE_DIGITS:
            break
        if len(digits) >= 10 and is_phone_number(digits):
            candidates.append(end + 1)
    return candidates[-1] if candidates else None


def is_phone_number(digits: str) -> bool:
    """A Vietnamese phone number, national (0…) or international (84…, 0084…, "84 (0) …")."""
    if digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("840"):
        digits = digits[2:]
    elif digits.startswith("84"):
        digits = "0" + digits[2:]
    return bool(_NATIONAL_PHONE.fullmatch(digits))


def _protect_dates_codes_and_amounts(text: str, groups: list[_Group], kinds: list[str | None]) -> None:
    index = 0
    while index < len(groups):
        length = _date_length(groups, index) or _code_length(groups, index) or _amount_length(text, groups, index)
        for i in range(index, index + length):
            kinds[i] = "protected"
        index += max(length, 1)


def _date_length(groups: list[_Group], index: int) -> int:
    """3 for d/m/yyyy (also with dots or dashes) starting at `index`, else 0."""
    if index + 2 >= len(groups):
        return 0
    day, month, year = groups[index : index + 3]
    same_separator = month.separator in _DATE_SEPARATORS and year.separator == month.separator
    valid = (
        len(day.digits) <= 2 and 1 <= int(day.digits) <= 31
        and len(month.digits) <= 2 and 1 <= int(month.digits) <= 12
        and len(year.digits) == 4 and year.digits[:2] in ("19", "20")
    )  # fmt: skip
    return 3 if same_separator and valid else 0


def _code_length(groups: list[_Group], index: int) -> int:
    """2 for a national procedure code ("1.001193") starting at `index`, else 0."""
    if index + 1 >= len(groups):
        return 0
    first, second = groups[index], groups[index + 1]
    is_code = len(first.digits) == 1 and second.separator == "." and len(second.digits) == 6
    ends_there = index + 2 == len(groups) or groups[index + 2].separator != "."
    return 2 if is_code and ends_there else 0


def _amount_length(text: str, groups: list[_Group], index: int) -> int:
    """The number of groups of an amount starting at `index` ("100.000.000", "1 500 000 đồng"), else 0."""
    first = groups[index]
    if len(first.digits) > 3 or first.digits[0] == "0" or first.separator in _THOUSANDS_SEPARATORS:
        return 0
    end = index + 1
    separator = groups[end].separator if end < len(groups) else ""
    if separator not in _THOUSANDS_SEPARATORS:
        return 0
    while end < len(groups) and groups[end].separator == separator and len(groups[end].digits) == 3:
        end += 1
    if end < len(groups) and groups[end].separator == separator:
        return 0  # the chain goes on with a group that is not three digits: not an amount
    if end - index < 2:
        return 0
    followed_by_currency = bool(_currency().match(text, groups[end - 1].end))
    round_thousands = separator != " " and groups[end - 1].digits == "000"
    return end - index if followed_by_currency or round_thousands else 0


def install_log_redaction() -> None:
    """Redact every log record this process creates, whatever the logger (the gateway's, aiohttp's, Rasa's,
    Sanic's): the message is formatted and redacted when the record is made, its traceback too."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacts", False):
        return

    def redacted_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logging's own error to report
            return record
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    redacted_record.redacts = True
    logging.setLogRecordFactory(redacted_record)
