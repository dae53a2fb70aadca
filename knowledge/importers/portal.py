"""Import the structured portal records (`portal-procedures-*.jsonl.gz`: the portal API's own `detail`).

``parse_record`` turns one record into the canonical procedure record and lists what it flagged; the cells
are structured, so what is parsed here is the text inside them: fee notes (what an amount is per, who is
exempt, until when it is valid), times without a unit, papers grouped by the citizen's case. Nothing is
guessed: a contradiction is flagged for staff (``record["flags"]``) and left out of the answer.

Local procedures of other provinces are skipped (they do not apply in Huế); Huế's own are kept.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from knowledge.importers.fees import parse_fees
from knowledge.importers.national import parse_steps
from knowledge.importers.report import ParseProblem

SOURCE = "portal"
PORTAL_PAGE = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{id}"
HUE = "UBND Thành phố Huế"
CHANNEL_BY_METHOD = {"ONLINE": "online", "DIRECT": "in_person", "POSTAL": "post"}
TIME_UNITS = {
    "WORKING_DAY": "Ngày làm việc", "DAY": "Ngày", "HOUR": "Giờ", "MONTH": "Tháng", "YEAR": "Năm",
}  # fmt: skip
_UNIT_WORDS = (
    (r"ngày làm việc", "Ngày làm việc"), (r"giờ làm việc", "Giờ làm việc"), (r"giờ", "Giờ"),
    (r"ngày", "Ngày"), (r"tháng", "Tháng"),
)  # fmt: skip
_TIME_IN_TEXT = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(" + "|".join(pattern for pattern, _ in _UNIT_WORDS) + r")", re.IGNORECASE
)
# A sentence of the steps or notes that says how long: "trong ngày", "ngày làm việc tiếp theo", "05 ngày"...
_TIME_SENTENCE = re.compile(
    r"trong ngày|ngày làm việc|\d+\s*(?:ngày|giờ)|sau 15 giờ|ngay trong|thời hạn giải quyết", re.IGNORECASE
)
# Case names that are only section titles of a paper list.
_SECTION_TITLE = re.compile(
    r"^[\s*\-–+•(]*(?:giấy tờ phải (?:nộp|xuất trình)|thành phần(?: hồ sơ)?|hồ sơ (?:gồm|bao gồm)|"
    r"số lượng hồ sơ)\b[^a-zà-ỹ]*$|^[\s*\-–+•]*hồ sơ [^:]{0,60}\b(?:gồm|bao gồm)\W*$",
    re.IGNORECASE,
)
_NOTES = re.compile(r"^[\s*\-–+•(]*lưu ý", re.IGNORECASE)
# A paper that applies only in a situation: "Trường hợp …", "Nếu …", "Đối với …".
_CONDITIONAL = re.compile(r"^[\s*\-–+•(]*(trường hợp|nếu|đối với)\b", re.IGNORECASE)
_CONDITIONAL_ANYWHERE = re.compile(r"\b(trong trường hợp|trường hợp|nếu|đối với)\b", re.IGNORECASE)
_FORM = re.compile(r"\b[Mm]ẫu(?:\s+số)?\s*[:.]?\s*([A-ZĐ]{0,6}\s?\d{1,3}[a-z]?(?:[/.-][A-ZĐ0-9a-z]{1,12})*)")
_CASE_LEAD = re.compile(r"^[\s*\-–+•(]+|[\s:;,.)]+$")


def promulgated_elsewhere(detail: dict) -> str:
    """The province that published this local procedure when it is not Huế, else ""."""
    publisher = (detail.get("departmentPromulgateName") or "").strip()
    if publisher.upper().startswith("UBND") and publisher != HUE:
        return publisher
    return ""


def _text(value) -> str:
    return re.sub(r"[ \t]+", " ", str(value or "").replace("\r", "")).strip()


def _names(items) -> list[str]:
    return [_text(item.get("name")) for item in items or [] if isinstance(item, dict) and _text(item.get("name"))]


def parse_level(detail: dict) -> tuple[list[str], str]:
    published = [label for flag, label in (("isWard", "Cấp xã"), ("isProvince", "Cấp tỉnh"),
                                           ("isMinistry", "Cấp bộ")) if detail.get(flag)]
    level = {"Cấp xã": "ward", "Cấp tỉnh": "city", "Cấp bộ": "ministry"}.get(published[0], "other") \
        if published else ("city" if (detail.get("departmentPromulgateName") or "") == HUE else "other")
    return published, level


def parse_form(name: str) -> str:
    """The form a paper is filled on ("Mẫu CT01", "Mẫu số 01/TK"), or ""."""
    match = _FORM.search(name)
    return f"Mẫu {match.group(1).replace(' ', '')}" if match else ""


def _case_name(raw: str) -> tuple[str, str]:
    """(case, kind) of a portal case name: section titles are no case; "xuất trình" papers are shown."""
    name = _text(raw)
    kind = "present" if re.search(r"xuất trình", name, re.IGNORECASE) else "submit"
    if not name or _SECTION_TITLE.match(name):
        return "", kind
    return _CASE_LEAD.sub("", name), "submit"


def _paper_key(name: str) -> str:
    return re.sub(r"\W+", " ", name.lower()).strip()[:120]


def _order(paper: dict) -> tuple[bool, bool]:
    """Application forms first ("Tờ khai …", "Đơn …"), then papers that do not mention a situation, then those
    that do ("… trong trường hợp …": a vehicle used as a home comes after the papers of an ordinary home)."""
    head = re.split(r"(?<=[.;])\s", paper["name"], maxsplit=1)[0]  # its first sentence says what it is,
    head = re.sub(r"\([^)]*\)", " ", head)  # outside its asides ("Tờ khai … (nếu nộp trực tiếp)")
    conditional = bool(_CONDITIONAL_ANYWHERE.search(head))
    application = paper["name"].lower().startswith(("tờ khai", "đơn", "phiếu"))
    return (not application or conditional, conditional)


def parse_documents(cases: Iterable[dict]) -> tuple[list[dict], list[str]]:
    """Papers grouped by case: those every citizen brings first (case ""), then each case's own.

    Cases of the same name are merged (the portal splits some). A paper is for everyone when it has no case,
    when every case lists it, or when it is a form ("Tờ khai …", "Mẫu …") that two or more cases list. A paper
    named "Trường hợp …"/"Nếu …" is put under that situation; "Lưu ý" (notes) rows and tables are left out
    (they explain rules; the official page has them). Within a group: forms, then plain papers, then those
    that mention a situation."""
    notes: list[str] = []
    groups: dict[str, list[dict]] = {}
    for case in cases or []:
        if not isinstance(case, dict):
            continue
        if _NOTES.match(_text(case.get("name"))):
            notes.append(f"left out a notes table of {len(case.get('profileComponents') or [])} rows")
            continue
        case_name, kind = _case_name(case.get("name"))
        papers = groups.setdefault(case_name, [])
        for component in case.get("profileComponents") or []:
            name = re.sub(r"^(?:[\s\-–+•]+|\((?:[ivx]+|\d+|[a-zđ])\)\s*)+", "", _text(component.get("name")))
            if not name or _NOTES.match(name):
                continue
            originals, copies = component.get("originalQty"), component.get("copyQty")
            originals = originals if isinstance(originals, int) and originals >= 0 else None
            copies = copies if isinstance(copies, int) and copies >= 0 else None
            copy_kind = "bản chính" if originals and not copies else "bản sao" if copies and not originals else ""
            papers.append({"name": name, "form": parse_form(name), "quantity": originals or None,
                           "copies": copies or None, "copy_kind": copy_kind, "kind": kind, "case": case_name})
    real = {name: {_paper_key(p["name"])[:60] for p in papers} for name, papers in groups.items() if name}
    listed_by = {}
    for keys in real.values():
        for key in keys:
            listed_by[key] = listed_by.get(key, 0) + 1
    core, by_case, seen = [], {}, set()
    for case_name, papers in groups.items():
        for paper in papers:
            key = _paper_key(paper["name"])[:60]
            is_form = bool(paper["form"]) or paper["name"].lower().startswith("tờ khai")
            everyone = not case_name or (len(real) >= 2 and (
                listed_by.get(key, 0) == len(real) or (is_form and listed_by.get(key, 0) >= 2)))
            if everyone:
                lead = _CONDITIONAL.match(paper["name"]) if not case_name else None
                if lead:
                    clause = re.split(r"[,:;]", paper["name"][lead.start(1):], maxsplit=1)[0]
                    by_case.setdefault(clause[:120].strip(), []).append({**paper, "case": clause[:120].strip()})
                elif key not in seen:
                    seen.add(key)
                    core.append({**paper, "case": ""})
                continue
            by_case.setdefault(case_name, []).append(paper)
    ordered = sorted(core, key=_order)
    for papers in by_case.values():
        ordered += sorted(papers, key=_order)
    return ordered, notes


def _time_from_text(text: str) -> tuple[float | None, str]:
    match = _TIME_IN_TEXT.search(text or "")
    if not match:
        return None, ""
    value = float(match.group(1).replace(",", "."))
    unit = next(label for pattern, label in _UNIT_WORDS if re.fullmatch(pattern, match.group(2).lower()))
    return (int(value) if value.is_integer() else value), unit


def time_sentence(texts: Iterable[str]) -> str:
    """The first sentence of `texts` that says how long the procedure takes, quoted as written."""
    for text in texts:
        for sentence in re.split(r"(?<=\.)\s+(?=[A-ZĐ-])|\n+", text or ""):
            sentence = sentence.strip(" -+*\t")
            if _TIME_SENTENCE.search(sentence):
                return sentence[:300]
    return ""


def parse_channels(detail: dict, today: dt.date) -> tuple[list[dict], list[dict]]:
    """Channels with time (unit from the cell, else from its note, else a quoted sentence of the steps) and
    fees (see knowledge.importers.fees); and the flags raised."""
    channels, flags = [], []
    steps_text = [_text(step.get("description")) for step in detail.get("executionSteps") or []]
    for method in detail.get("executionMethods") or []:
        kind = CHANNEL_BY_METHOD.get(method.get("submissionMethod"))
        if kind is None:
            continue
        description = _text(method.get("description"))
        value, unit = method.get("processingTime"), TIME_UNITS.get(method.get("processingTimeUnit") or "", "")
        value = value if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None
        source = ""
        if value is None or not unit:
            text_value, text_unit = _time_from_text(description)
            if text_unit:
                value, unit, source = text_value, text_unit, description[:300]
            else:
                unit = ""
                source = time_sentence([description, *steps_text])
                if source:
                    value = None
                elif value is not None:
                    flags.append({"field": "channels", "reason": f"{kind}: time {value} has no unit"})
                    value = None
        fees, fee_amount, fee_flags = parse_fees(method.get("fees") or [], today)
        flags += [{"field": "channels", "reason": f"{kind}: {reason}"} for reason in fee_flags]
        channels.append({
            "kind": kind, "time_value": value, "time_unit": unit, "time_text": description[:500],
            "time_source": source, "fee_amount": fee_amount, "fee_unit": "VND" if fee_amount else "",
            "fee_text": "; ".join(f["description"] for f in fees if f["description"])[:1000],
            "fees": fees, "note": "",
        })
    return channels, flags


def parse_record(raw: dict, usage: dict[str, int] | None = None,
                 today: dt.date | None = None) -> tuple[dict | None, list[ParseProblem], str]:
    """One portal record → (canonical record or None, problems, why it was skipped)."""
    today = today or dt.date.today()
    detail = raw.get("detail") if isinstance(raw.get("detail"), dict) else {}
    code = _text(raw.get("code") or detail.get("code"))
    name = _text(raw.get("name") or detail.get("name"))
    elsewhere = promulgated_elsewhere(detail)
    if elsewhere:
        return None, [], f"local procedure of {elsewhere}: does not apply in Huế"
    if not code or not name:
        return None, [], "no code or name"
    published, level = parse_level(detail)
    documents, document_notes = parse_documents(detail.get("executionCases"))
    channels, flags = parse_channels(detail, today)
    steps = []
    for step in detail.get("executionSteps") or []:
        steps += parse_steps(_text(step.get("description")))
    receiving = _text(detail.get("executingAgencies")) or ", ".join(_names(detail.get("departmentsExecuting")))
    problems = [ParseProblem(code, f["field"], f["reason"]) for f in flags]
    problems += [ParseProblem(code, "documents", note) for note in document_notes]
    if not documents:
        problems.append(ParseProblem(code, "documents", "no papers listed"))
    if not channels:
        problems.append(ParseProblem(code, "channels", "no submission method"))
    page = PORTAL_PAGE.format(id=raw.get("id") or detail.get("id")) if (raw.get("id") or detail.get("id")) else ""
    record = {
        "code": code,
        "name": name,
        "aliases": [],
        "field": "; ".join(_names(detail.get("categoriesDetails"))),
        "level": level,
        "levels_published": published,
        "agency": ", ".join(_names(detail.get("departmentsAuthority"))),
        "receiving_agency": receiving,
        "audience": ", ".join(_names(detail.get("subjectTypesDetails"))),
        "documents": documents,
        "channels": channels,
        "steps": steps,
        "conditions": _text(detail.get("requirementsAndConditions")),
        "result": "; ".join(_names(detail.get("resultsDetails"))),
        "legal_basis": [{"title": n, "number": _text(item.get("code"))}
                        for item in detail.get("legalBasisesDetails") or [] if (n := _text(item.get("name")))],
        "full_online": any(channel["kind"] == "online" for channel in channels),
        "official_url": page,
        "source_url": page,
        "decision_number": _text(detail.get("decisionNo")),
        "usage": int((usage or {}).get(code, 0)),
        "flags": flags,
        "source": SOURCE,
        "verified_on": None,
    }
    return record, problems, ""
