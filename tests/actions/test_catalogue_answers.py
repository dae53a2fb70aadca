"""The answers over the whole imported catalogue (national + structured portal records), and a fact check.

1. Over every record: no channel is shown as free while its fee cells name an amount; no amount whose
   validity ended is shown as current; no paper everyone brings is left out while a case's paper is shown;
   no time without a unit is shown without the record's sentence (or the plain "no unit" note).
2. A fact check of 30 procedures picked at random (fixed seed) from the usage list (the seed's codes): the
   answers are compared, field by field, with the official records read here on their own (fee amounts, time
   and unit, the first papers everyone brings, the office in Huế that receives the file).

The catalogue is imported once per test session (`full_catalogue`, tests/actions/conftest.py, about a minute);
skipped where ../shared/tthc is absent.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import re

import pytest
import sqlalchemy as sa
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import selectinload

from actions import formatting as fmt
from actions.documents import Groups, budget_for, documents_page
from actions.kb import use_knowledge_base
from actions.procedure_answers import (
    ActionAnswerDocuments,
    ActionAnswerFee,
    ActionAnswerProcessingTime,
    ActionAnswerWhere,
)
from knowledge.importers.fees import amounts_in
from knowledge.models import Procedure
from knowledge.seed import SEED_DIR
from knowledge.settings import PORTAL_CATALOGUE
from knowledge.text import fold

TODAY = dt.date.today()
FREE = fmt.label("fees.free", "vi")
NO_UNIT = fmt.label("times.no_unit", "vi")
SAMPLE_SIZE, SAMPLE_SEED = 30, 10
# Departments of other provinces, named in national records beside the generic one.
OTHER_PROVINCES = r"ha noi|ho chi minh|tp\.? ?hcm"


def problems_message(problems: list) -> str:
    return f"{len(problems)} records, e.g.:\n" + "\n".join(map(str, problems[:15]))


@pytest.fixture(scope="module")
def procedures(full_catalogue):
    with full_catalogue.session() as session:
        statement = sa.select(Procedure).options(
            selectinload(Procedure.documents), selectinload(Procedure.channels)
        )
        yield list(session.execute(statement).scalars())


# ---------------------------------------------------------------- 1. every record
def test_the_whole_catalogue_is_there(procedures):
    assert len(procedures) > 4000
    assert {p.source for p in procedures} == {"portal", "national"}


def test_no_channel_is_shown_free_while_its_cells_name_an_amount(procedures):
    problems = []
    for procedure in procedures:
        for channel in procedure.channels:
            if fmt.fee_of(channel, "vi", TODAY) != FREE:
                continue
            current = fmt.current_fees(channel, TODAY)
            cells = [f.get("description") or "" for f in current] if channel.fees else [channel.fee_text or ""]
            named = [a for cell in cells for a in amounts_in(cell)] + [f["amount"] for f in current if f.get("amount")]
            if named:
                problems.append((procedure.code, channel.kind, named[:3]))
    assert not problems, problems_message(problems)


def _ended_phrases(channel, today) -> list:
    return [
        fmt.label("fees.ended", "vi", amount=fmt.format_amount(f["amount"], "vi") + fmt._per(f),
                  date=fmt.date_text(f["valid_until"], "vi"))
        for f in fmt.expired_fees(channel, today) if f.get("amount")
    ]  # fmt: skip


def test_no_amount_whose_validity_ended_is_shown_as_current(procedures):
    problems, checked = [], 0
    for procedure in procedures:
        for channel in procedure.channels:
            ended = [f for f in fmt.expired_fees(channel, TODAY) if f.get("amount")]
            if not ended:
                continue
            checked += 1
            text = fmt.fee_of(channel, "vi", TODAY)
            for phrase in _ended_phrases(channel, TODAY):
                text = text.replace(phrase, "")
            current = fmt.current_fees(channel, TODAY)
            in_force = {f["amount"] for f in current if f.get("amount")}
            in_force |= {a for f in current for a in amounts_in(f.get("description") or "")}
            for fee in ended:
                if fee["amount"] not in in_force and fmt.format_amount(fee["amount"], "vi") in text:
                    problems.append((procedure.code, channel.kind, fee["amount"], fee["valid_until"]))
    assert checked > 50, "the catalogue has amounts whose validity ended: the check must see them"
    assert not problems, problems_message(problems)


def test_no_paper_everyone_brings_is_hidden_while_a_case_paper_is_shown(procedures):
    problems, with_cases = [], 0
    for procedure in procedures:
        groups = Groups.of(procedure.documents)
        if not groups.cases:
            continue
        with_cases += 1
        url = fmt.official_link(procedure, "https://dichvucong.gov.vn")
        for language in ("vi", "en"):
            budget = budget_for(procedure.name, procedure.code, url, language)
            page = documents_page(procedure.code, procedure.documents, language, budget)
            if any(d.case for d in page.shown):
                hidden = [d.name[:60] for d in groups.core if d not in page.shown]
                if hidden:
                    problems.append((procedure.code, language, hidden[:2]))
    assert with_cases > 1000
    assert not problems, problems_message(problems)


def test_a_time_without_a_unit_is_shown_with_its_sentence_or_said_to_have_none(procedures):
    problems, checked = [], 0
    for procedure in procedures:
        for channel in procedure.channels:
            text = fmt.time_of(channel, "vi")
            assert not re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", text), (procedure.code, text)
            if (channel.time_unit or "").strip():
                continue
            checked += 1
            source = " ".join((channel.time_source or "").split())
            if source:
                if source[:40].lstrip("-+*• ") not in text:
                    problems.append((procedure.code, channel.kind, "sentence not quoted", text[:80]))
            elif channel.time_value is not None and text != NO_UNIT:
                problems.append((procedure.code, channel.kind, "unit not said to be missing", text[:80]))
    assert checked > 100
    assert not problems, problems_message(problems)


# ---------------------------------------------------------------- 2. fact check against the official records
UNITS = {"WORKING_DAY": "Ngày làm việc", "DAY": "Ngày", "HOUR": "Giờ", "MONTH": "Tháng", "YEAR": "Năm"}
CHANNELS = {"ONLINE": "Trực tuyến", "DIRECT": "Trực tiếp", "POSTAL": "Qua bưu chính"}
_ENDED = re.compile(r"đến hết(?: ngày)?\s*(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE)
_LIST_MARK = re.compile(r"^[\s\-+*•]*(?:\(?(?:[a-zđ]|\d{1,2}|[ivx]{1,4})[).]\s*)?", re.IGNORECASE)
_NOTE = re.compile(r"^(?:lưu ý|trường hợp|nếu|đối với|ví dụ)|:$|trường hợp|nếu ", re.IGNORECASE)


def sample_codes(official: dict) -> list:
    seed = yaml.safe_load((SEED_DIR / "procedures.yml").read_text(encoding="utf-8"))
    codes = sorted(r["code"] for r in seed if r["code"] in official)
    return random.Random(SAMPLE_SEED).sample(codes, min(SAMPLE_SIZE, len(codes)))


@pytest.fixture(scope="module")
def official(full_catalogue):
    """The official structured records of the usage list's procedures, as published (code → detail)."""
    seed = {r["code"] for r in yaml.safe_load((SEED_DIR / "procedures.yml").read_text(encoding="utf-8"))}
    records = {}
    with gzip.open(PORTAL_CATALOGUE, "rt", encoding="utf-8") as stream:
        for line in stream:
            raw = json.loads(line)
            if raw.get("code") in seed and isinstance(raw.get("detail"), dict):
                records[raw["code"]] = raw["detail"]
    return records


@pytest.fixture(scope="module")
def answering(full_catalogue):
    previous = use_knowledge_base(full_catalogue)
    yield full_catalogue
    use_knowledge_base(previous)


async def answer(action, code: str) -> list:
    tracker = Tracker.from_dict(
        {
            "sender_id": "facts",
            "slots": {"procedure_code": code, "ward": None, "language": "vi", "pending_info": None},
            "latest_message": {
                "text": "/" + action.name(),
                "intent": {"name": "ask", "confidence": 1.0},
                "entities": [{"entity": "procedure_code", "value": code}],
            },
            "events": [],
        }
    )
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, {})
    return dispatcher.messages


def channel_line(text: str, method: str) -> str:
    """The answer's line that names the channel `method`."""
    return next((line for line in text.splitlines() if CHANNELS[method] in line.split(":", 1)[0]), "")


def ended_before_today(description: str) -> bool:
    for day, month, year in _ENDED.findall(description or ""):
        try:
            if dt.date(int(year), int(month), int(day)) < TODAY:
                return True
        except ValueError:
            continue
    return False


def clause_of(description: str, amount: str) -> str:
    """The sentence or bullet of the note that states `amount`: a date elsewhere in the note (a reduction for
    a period) is not the amount's ("70.000 đồng/thẻ. Từ … đến hết 31/12/2025, trực tuyến bằng 50 %")."""
    for clause in re.split(r"(?<=[.;])\s+|\s+[-+]\s+|\n+", description or ""):
        if amount in clause:
            return clause
    return description


def dotted(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def fee_facts(detail: dict, fees: str) -> list:
    wrong = []
    for method in detail.get("executionMethods") or []:
        if method.get("submissionMethod") not in CHANNELS:
            continue
        line = channel_line(fees, method["submissionMethod"])
        items = [f for f in method.get("fees") or [] if isinstance(f, dict)]
        values = [f.get("value") for f in items if isinstance(f.get("value"), (int, float))]
        named = [a for f in items for a in amounts_in(f.get("description") or "")]
        if line.endswith(": " + FREE) and (any(v > 0 for v in values) or named):
            wrong.append(("shown free", method["submissionMethod"], values, named[:2]))
        for item in items:
            value, description = item.get("value"), item.get("description") or ""
            if not isinstance(value, (int, float)) or value < 1000:
                continue
            if ended_before_today(clause_of(description, dotted(int(value)))):
                if dotted(int(value)) in line and "chỉ áp dụng đến hết" not in line and len(values) == 1:
                    wrong.append(("ended amount shown", method["submissionMethod"], value))
            elif dotted(int(value)) not in line:
                wrong.append(("amount missing", method["submissionMethod"], value, line[:100]))
    return wrong


def time_facts(detail: dict, times: str) -> list:
    wrong = []
    for method in detail.get("executionMethods") or []:
        if method.get("submissionMethod") not in CHANNELS:
            continue
        line = channel_line(times, method["submissionMethod"])
        value, unit = method.get("processingTime"), UNITS.get(method.get("processingTimeUnit") or "")
        if isinstance(value, (int, float)) and value > 0 and unit:
            if f"{value:g} {unit}" not in line:
                wrong.append(("time", method["submissionMethod"], value, unit, line[:100]))
        elif re.search(r":\s*\d+(?:[.,]\d+)?\s*$", line):
            wrong.append(("bare number", method["submissionMethod"], line[:100]))
    return wrong


def core_papers(detail: dict) -> list:
    """The papers every applicant brings, read from the official cases on their own: the only case's papers
    (or those of cases without a real name), else those every case lists."""
    cases = [c for c in detail.get("executionCases") or [] if isinstance(c, dict)]
    papers = [[" ".join((p.get("name") or "").split()) for p in c.get("profileComponents") or []] for c in cases]
    if not cases:
        return []
    if len(cases) == 1:
        return papers[0]
    keys = [{fold(n)[:60] for n in names} for names in papers]
    common = set.intersection(*keys) if keys else set()
    return [n for n in papers[0] if fold(n)[:60] in common]


def document_facts(detail: dict, documents: str) -> list:
    names = [_LIST_MARK.sub("", n) for n in core_papers(detail)]
    plain = [n for n in names if n and not _NOTE.search(n)]
    if not plain:
        return []
    shown = fold(documents)
    forms = [n for n in plain if fold(n).startswith(("to khai", "don ", "mau "))]
    first = (forms or plain)[0]
    return [] if fold(first).rstrip(" .;,")[:20] in shown else [("first paper everyone brings missing", first[:60])]


def expected_office(detail: dict, name: str) -> str:
    """The office in Huế a citizen is sent to, from the agencies the record names (the issue's rules)."""
    agencies = fold(detail.get("executingAgencies") or "")
    if not agencies:
        return "phuong, xa noi ban o" if detail.get("isWard") else "trung tam phuc vu hanh chinh cong"
    if "can cuoc" in fold(name):
        return "cong an cap xa"  # the same procedure is published for commune police, anywhere
    if "ho chieu" in fold(name) and "cong an cap tinh" in agencies:
        return "phong quan ly xuat nhap canh"
    for rule, office in (
        ("phong quan ly xuat nhap canh", "phong quan ly xuat nhap canh"),
        ("cong an cap xa", "cong an cap xa"),
        ("cong an cap tinh", "cong an thanh pho hue"),
        ("cong an tinh", "cong an thanh pho hue"),
        ("van phong dang ky dat dai", "van phong dang ky dat dai"),
        ("uy ban nhan dan cap tinh", "trung tam phuc vu hanh chinh cong"),
        ("so ", "trung tam phuc vu hanh chinh cong"),
    ):
        parts = [p.strip() for p in agencies.split(",")]
        if any(p.startswith(rule) and not re.search(OTHER_PROVINCES, p) for p in parts):
            return office
    return ""


def where_facts(detail: dict, name: str, messages: list) -> list:
    agencies = " ".join((detail.get("executingAgencies") or "").split())
    text = fold(" ".join(str(m.get("places") or m.get("handled_by") or "") for m in messages))
    wrong = []
    if agencies and fold(agencies) not in text:
        wrong.append(("the record's agencies are not named", agencies[:60]))
    office = expected_office(detail, name)
    if office and office not in text:
        wrong.append(("office", office, text[:120]))
    parts = [p for p in re.split(r",\s*(?=[A-ZĐÀ-Ỹ])", agencies) if p.strip()]  # "Cục …, xã hội" is one
    only_central = bool(parts) and office != "cong an cap xa" and all(
        fold(part.strip()).startswith(("cuc ", "bo ")) for part in parts
    )
    if only_central and messages[0]["response"] != "utter_where_ministry":
        wrong.append(("ministry only, yet placed in Huế", agencies[:60]))
    if agencies and not only_central and messages[0]["response"] == "utter_where_ministry":
        wrong.append(("said the city does not handle it", agencies[:60]))
    return wrong


async def test_answers_match_the_official_records_of_30_procedures_people_use(answering, official):
    codes = sample_codes(official)
    assert len(codes) == SAMPLE_SIZE
    report = {}
    for code in codes:
        detail = official[code]
        fees = (await answer(ActionAnswerFee(), code))[0]["fees"]
        times = (await answer(ActionAnswerProcessingTime(), code))[0]["times"]
        documents = (await answer(ActionAnswerDocuments(), code))[0].get("documents", "")
        where = await answer(ActionAnswerWhere(), code)
        wrong = (
            fee_facts(detail, fees) + time_facts(detail, times) + document_facts(detail, documents)
            + where_facts(detail, detail.get("name") or "", where)
        )  # fmt: skip
        if wrong:
            report[code] = wrong
    assert not report, json.dumps(report, ensure_ascii=False, indent=1, default=str)
