"""Parsers for the run-together text cells of the national portal's procedure records.

The portal (dichvucong.gov.vn) flattens its HTML tables into one string per cell, e.g.
"Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíTrực tiếp7 Ngày làm việc10,000 Việt Nam Đồng".
Each parser returns ``(value, problems)`` where ``problems`` is a list of ``(field, reason)`` pairs; the
strings below are markers of the portal's format, not user-facing text.
"""
from __future__ import annotations

import re

NO_INFO = "Không có thông tin"
# Character classes for Vietnamese letters (re has no \p{Ll}); used to find cells glued together.
LOWER = "".join(c for c in map(chr, range(0x61, 0x1EFA)) if c.islower() and c.isalpha())
UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isupper() and c.isalpha())

# --- channels (cach_thuc_thuc_hien) -------------------------------------------------------------
CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
CHANNEL_KINDS = {"Trực tuyến": "online", "Trực tiếp": "in_person", "Dịch vụ bưu chính": "post"}
_TIME_UNITS = "Ngày làm việc|Ngày|Giờ|Tháng|Năm|Tuần|Phút"
_VND_UNITS = ("Việt Nam Đồng", "VNĐ", "Đồng", "đồng")
_CURRENCY = "Việt Nam Đồng|VNĐ|Đồng|đồng|USD"
_FEE_HEAD = rf"(?:Miễn phí|{NO_INFO}|\d[\d.,]*\s*(?:{_CURRENCY}))"
_ROW_START = re.compile(
    rf"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)"
    rf"(?=(?:\d[\d.,]*\s*(?:{_TIME_UNITS})?|{NO_INFO}|(?![:\s,])[^\n]{{1,200}}?){_FEE_HEAD})"
)
_TIME_WITH_UNIT = re.compile(rf"(\d+(?:[.,]\d+)?)\s*({_TIME_UNITS})")
_TIME_BARE = re.compile(rf"(\d+)(?=Miễn phí|{NO_INFO})")
_TIME_BARE_THEN_AMOUNT = re.compile(rf"(\d+?)(\d{{1,3}}(?:,\d{{3}})+|\d+)\s*({_CURRENCY})")
_TIME_TEXT = re.compile(rf"((?![:\s])[^\n]{{1,200}}?)(?={_FEE_HEAD})")
_AMOUNT = re.compile(rf"(\d{{1,3}}(?:[.,]\d{{3}})+|\d+)\s*({_CURRENCY})")
# A "Miễn phí" headline whose explanation still names a sum or a fee schedule is not "free".
_FEE_MENTION = re.compile(
    r"\d[\d.,]*\s*(?:đồng|đ\b|Đồng|VNĐ|vnđ|USD|triệu)|mức (?:lệ )?phí|mức thu|biểu phí|lệ phí cấp",
    re.IGNORECASE,
)
_MIN_PLAUSIBLE_VND = 1000


def _balanced_prefix(text: str) -> str:
    """The leading "(...)" group of ``text`` (nested parentheses allowed), or ""."""
    if not text.startswith("("):
        return ""
    depth = 0
    for i, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return text[: i + 1]
    return ""


def _parse_amount(digits: str) -> int:
    return int(re.sub(r"[.,]", "", digits))


def _parse_time(body: str, channel: dict) -> tuple[str, list[str]]:
    """Fill the time fields from the start of a row; return the rest of the row and problems."""
    if m := _TIME_WITH_UNIT.match(body):
        value = float(m.group(1).replace(",", "."))
        channel.update(time_value=value, time_unit=m.group(2), time_text=m.group(0).strip())
        return body[m.end():], []
    if body.startswith(NO_INFO):
        return body[len(NO_INFO):], []
    if m := _TIME_BARE.match(body):
        channel.update(time_value=float(m.group(1)), time_text=m.group(1))
        return body[m.end():], ["time has no unit"]
    if m := _TIME_BARE_THEN_AMOUNT.match(body):
        channel.update(time_value=float(m.group(1)), time_text=m.group(1))
        return body[m.end(1):], ["time without unit runs into the fee; split is a guess"]
    if m := _TIME_TEXT.match(body):
        channel["time_text"] = m.group(1).strip()
        return body[m.end():], []
    return body, ["time not recognised"]


def _parse_fee(rest: str, channel: dict) -> tuple[str, list[str]]:
    """Fill the fee fields from the start of ``rest``; return the remaining text and problems."""
    problems: list[str] = []
    if rest.startswith("Miễn phí"):
        detail = _balanced_prefix(rest[len("Miễn phí"):])
        channel["fee_text"] = ("Miễn phí " + detail).strip()
        if detail and _FEE_MENTION.search(detail):
            problems.append("'Miễn phí' but the fee note names fees; amount left unknown")
        else:
            channel["fee_amount"] = 0
        return rest[len("Miễn phí") + len(detail):], problems
    if rest.startswith(NO_INFO):
        return rest[len(NO_INFO):], problems
    if m := _AMOUNT.match(rest):
        detail = _balanced_prefix(rest[m.end():])
        amount, unit = _parse_amount(m.group(1)), m.group(2)
        channel.update(fee_unit=unit, fee_text=(m.group(0) + " " + detail).strip())
        if unit not in _VND_UNITS:
            problems.append(f"fee in {unit}, not VND")
        elif amount < _MIN_PLAUSIBLE_VND:
            problems.append(f"implausible fee amount {amount} {unit}")
        else:
            channel["fee_amount"] = amount
        return rest[m.end() + len(detail):], problems
    return rest, ["fee not recognised"]


def parse_channels(cell: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """``cach_thuc_thuc_hien`` → channel dicts, in published order."""
    text = (cell or "").strip()
    if not text or text == NO_INFO:
        return [], [("channels", "no submission channels published")]
    if text.startswith(CHANNEL_HEADER):
        text = text[len(CHANNEL_HEADER):]
    parts = _ROW_START.split(text)
    problems: list[tuple[str, str]] = []
    if parts[0].strip():
        problems.append(("channels", f"text before the first channel: {parts[0].strip()[:80]!r}"))
    channels = []
    for label, body in zip(parts[1::2], parts[2::2]):
        channel = {
            "kind": CHANNEL_KINDS[label], "time_value": None, "time_unit": "", "time_text": "",
            "fee_amount": None, "fee_unit": "", "fee_text": "", "note": "",
        }
        rest, time_problems = _parse_time(body, channel)
        rest, fee_problems = _parse_fee(rest, channel)
        note = rest.strip()
        channel["note"] = "" if note == NO_INFO else note
        problems += [("channels", f"{label}: {p}") for p in time_problems + fee_problems]
        channels.append(channel)
    if not channels:
        problems.append(("channels", f"no channel row recognised in {text[:80]!r}"))
    return channels, problems


# --- legal basis (can_cu_phap_ly) ---------------------------------------------------------------
LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# 123/2015/NĐ-CP, 60/2014/QH13, 66.7/2025/NQ-CP, 09/2015/TTLT-BCA-BYT-BTC, 104/1999/QĐ-TTg, 73/NĐ-CP
_SUFFIX_PART = rf"(?:TTg|(?:UBTV)?QH\d{{0,2}}|(?:[A-ZĐ](?![{LOWER}]))+)"
_LEGAL_NUMBER = re.compile(rf"(?:(?<=\d/\d{{4}})|(?<=QH\d\d)|(?<![\d/])(?<!\d\.))\d+(?:\.\d+)?(?:/\d{{4}})?/{_SUFFIX_PART}(?:[-/]{_SUFFIX_PART})*")
_GLUED_YEAR = re.compile(r"((?:19|20)\d\d)\d{1,3}(?:\.\d+)?/(?:19|20)\d\d/")
_NEXT_TITLE = re.compile(rf"\s+[{UPPER}]")
_GLUED_DOC_TYPE = re.compile(
    r"(?<=[^\s])(?:Nghị định|Thông tư liên tịch|Thông tư|Luật|Quyết định|Nghị quyết|Pháp lệnh|NĐ|TT|QĐ)"
    r"(?: số)?\s*$"
)


def parse_legal_basis(cell: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """``can_cu_phap_ly`` → [{title, number}]; a row ends where a number is glued to the next title."""
    text = (cell or "").strip()
    if not text or text == NO_INFO:
        return [], []
    if text.startswith(LEGAL_HEADER):
        text = text[len(LEGAL_HEADER):]
    rows, start, problems = [], 0, []
    for m in _LEGAL_NUMBER.finditer(text):
        after = text[m.end():m.end() + 1]
        if after in ",;.)" and after or after.isspace() and not _NEXT_TITLE.match(text, m.end()):
            continue  # a number quoted inside a title
        if after.isdigit() and _LEGAL_NUMBER.match(text, m.end()):
            continue  # "Luật 60/2014/QH13" followed by its number cell
        number, title_end = m.group(0), m.start()
        if year := _GLUED_YEAR.match(number):  # "Luật Cư trú 2020" + "68/2020/QH14"
            number, title_end = number[len(year.group(1)):], m.start() + len(year.group(1))
        title = _GLUED_DOC_TYPE.sub("", text[start:title_end]).strip(" ;,.-")
        title = re.sub(r"\s+", " ", title)
        rows.append({"title": title or number, "number": number})
        start = m.end()
    tail = text[start:].strip()
    if tail:
        problems.append(("legal_basis", f"text without a document number: {tail[:80]!r}"))
    return rows, problems
