"""The main journeys against the real seed (knowledge/seed/procedures.yml): the facts citizens will get."""
import json
import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.coach import step_values
from actions.procedure_answers import (
    ActionAnswerDocuments,
    ActionAnswerFee,
    ActionAnswerOnline,
    ActionAnswerProcessingTime,
    ActionAnswerWhere,
)
from knowledge import repository

SEED = Path(__file__).resolve().parents[2] / "knowledge" / "seed" / "procedures.yml"
BIRTH = "1.001193"
RESIDENCE = "1.004222"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, knowledge_base_in):
    if not SEED.exists():
        pytest.skip(f"{SEED} absent: the seed is written by the importer (python -m knowledge seed)")

    def fill(kb):
        with kb.session() as session, session.begin():
            for record in yaml.safe_load(SEED.read_text(encoding="utf-8")):
                repository.upsert_procedure(session, record, actor="test")

    with knowledge_base_in(tmp_path_factory.mktemp("seed"), fill) as kb:
        yield kb


def seeded_procedure(kb, code):
    with kb.session() as session:
        procedure = repository.get_procedure(session, code)
        procedure.documents, procedure.channels  # noqa: B018 - loaded before the session closes
        return procedure


def turn(text, intent, focus=None, entities=(), language="vi"):
    return Tracker.from_dict(
        {
            "sender_id": "seed",
            "slots": {"procedure_code": focus, "ward": None, "language": language, "pending_info": None},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.9},
                "entities": [{"entity": e, "value": v} for e, v in entities],
            },
            "events": [],
        }
    )


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return events, dispatcher.messages


async def test_birth_documents_typed_without_diacritics(seeded):
    events, messages = await run(ActionAnswerDocuments(), turn("lam giay khai sinh can giay to gi", "ask_documents"))

    assert events == [SlotSet("procedure_code", BIRTH)]
    assert messages[0]["response"] == "utter_documents"
    assert "Giấy chứng sinh" in messages[0]["documents"]
    assert messages[0]["official_url"].startswith("https://dichvucong.gov.vn/")


async def test_papers_everybody_needs_come_before_case_specific_ones(seeded):
    _, messages = await run(ActionAnswerDocuments(), turn("đăng ký khai sinh cần giấy tờ gì", "ask_documents"))

    documents = messages[0]["documents"]
    papers = [line for line in documents.splitlines() if line.startswith("• ")]
    assert "Tờ khai đăng ký khai sinh" in papers[0]  # the form first
    assert any("Giấy chứng sinh" in line for line in papers)
    assert "bỏ rơi" not in documents  # a case's paper, behind the buttons
    cases = [b for b in messages[0]["buttons"] if '"document_case":"cases"' in b["payload"]]
    assert [b["title"] for b in cases] == ["Trường hợp khác"]

    # the abandoned-child case is still there: the list of cases, then its page
    _, listing = await run(ActionAnswerDocuments(), turn(cases[0]["payload"], "ask_documents", focus=BIRTH,
                                                         entities=[("procedure_code", BIRTH),
                                                                   ("document_case", "cases")]))  # fmt: skip
    abandoned = next(b for b in listing[0]["buttons"] if "bỏ rơi" in b["title"])
    number = json.loads(abandoned["payload"][len("/ask_documents"):])["document_case"]
    _, case = await run(ActionAnswerDocuments(), turn(abandoned["payload"], "ask_documents", focus=BIRTH,
                                                      entities=[("procedure_code", BIRTH), ("document_case", number)]))
    assert "biên bản về việc trẻ bị bỏ rơi" in case[0]["documents"]


async def test_permanent_residence_opens_with_the_ct01_form_and_a_case_with_buttons_for_the_others(seeded):
    _, messages = await run(ActionAnswerDocuments(), turn("đăng ký thường trú cần giấy tờ gì", "ask_documents"))

    answer = messages[0]
    assert answer["procedure_code"] == RESIDENCE
    papers = [line for line in answer["documents"].splitlines() if line.startswith("• ")]
    assert papers[0].startswith("• Tờ khai thay đổi thông tin cư trú") and "Mẫu CT01" in papers[0]
    assert "(Trên đây là trường hợp đầu tiên trong hồ sơ.)" in answer["documents"]
    assert any(b["title"] == "Trường hợp khác" for b in answer["buttons"])


async def test_where_is_who_receives_the_file_in_hue(seeded):
    _, residence = await run(ActionAnswerWhere(), turn("đăng ký thường trú nộp ở đâu", "ask_where"))
    assert [m["response"] for m in residence] == ["utter_where", "utter_ask_ward"]
    assert residence[0]["places"].startswith("• Công an cấp xã")

    _, passport = await run(ActionAnswerWhere(), turn("làm hộ chiếu ở đâu", "ask_where"))
    assert passport[0]["places"].startswith("• Phòng Quản lý xuất nhập cảnh, Công an thành phố Huế")

    _, licence = await run(ActionAnswerWhere(), turn("đổi giấy phép lái xe nộp ở đâu", "ask_where",
                                                     entities=[("procedure_code", "3.000347")]))
    assert licence[0]["response"] == "utter_where"  # not "the city does not handle it"
    assert "Công an cấp xã" in licence[0]["places"]
    assert "Phòng Cảnh sát giao thông, Công an thành phố Huế" in licence[0]["places"]


async def test_the_coach_sends_a_permanent_residence_file_to_the_commune_police(seeded):
    slots = {"procedure_code": RESIDENCE, "ward": "Thuận Hóa", "language": "vi", "pending_info": None}
    tracker = Tracker.from_dict({"sender_id": "seed", "slots": slots, "events": [], "latest_message": {
        "text": "/start_guide", "intent": {"name": "start_guide"}, "entities": []}})  # fmt: skip
    values = step_values(seeded_procedure(seeded, RESIDENCE), seeded.session(), tracker, seeded.settings, "vi")
    assert values["agency"] == "Công an cấp xã (Công an phường, xã)"
    assert "Ủy ban nhân dân" not in values["agency"]


async def test_a_passport_fee_whose_validity_ended_is_not_given_as_current(seeded):
    _, messages = await run(ActionAnswerFee(), turn("làm hộ chiếu hết bao nhiêu tiền", "ask_fee"))

    online = next(line for line in messages[0]["fees"].splitlines() if "Trực tuyến" in line)
    assert "chỉ áp dụng đến hết 31/12/2023" in online
    assert not online.split(":", 1)[1].strip().startswith("160.000")


async def test_another_procedure_named_replaces_the_focus(seeded):
    tracker = turn(
        "còn đăng ký kết hôn thì cần giấy tờ gì", "ask_documents", focus=BIRTH, entities=[("procedure", "đăng ký kết hôn")]
    )
    events, messages = await run(ActionAnswerDocuments(), tracker)

    assert events == [SlotSet("procedure_code", "1.000894")]
    assert messages[0]["procedure_code"] == "1.000894"


@pytest.mark.parametrize(
    "follow_up",
    [
        "lệ phí bao nhiêu?",
        "le phi bao nhieu",
        "phải trả bao nhiêu",
        "hết bao nhiêu tiền vậy",
        "có miễn phí không",
        "có mất phí không",
        "how much is the fee",
    ],
)
async def test_fee_follow_ups_keep_the_procedure_in_focus(seeded, follow_up):
    events, messages = await run(ActionAnswerFee(), turn(follow_up, "ask_fee", focus=BIRTH))

    assert events == []
    yes_no = follow_up.endswith("không")  # a yes/no question: "Không." first (birth registration is free)
    assert [m["response"] for m in messages] == ["utter_yes_no"] * yes_no + ["utter_fee"]
    assert messages[0].get("answer", "Không.") == "Không."
    assert messages[-1]["procedure_code"] == BIRTH



@pytest.mark.parametrize(
    "follow_up",
    [
        "nộp online được không",
        "có nộp trực tuyến được không",
        "co nop online duoc khong",
    ],
)
async def test_online_follow_ups_keep_the_procedure_in_focus(seeded, follow_up):
    events, messages = await run(ActionAnswerOnline(), turn(follow_up, "ask_online", focus=BIRTH))

    assert events == []
    assert messages[0]["response"] == "utter_yes_no" and messages[0]["answer"] == "Có."  # yes or no first
    assert messages[1]["procedure_code"] == BIRTH


async def test_gibberish_is_admitted(seeded):
    events, messages = await run(ActionFallback(), turn("abc xyz linh tinh", "nlu_fallback"))

    assert events == []
    assert [m["response"] for m in messages] == ["utter_not_found"]


# ---------------------------------------------------------------- answers fit a phone
SEED_CODES = [r["code"] for r in yaml.safe_load(SEED.read_text(encoding="utf-8"))] if SEED.exists() else []
URL = re.compile(r"https?://[^\s<>\"'“”)]+")


@pytest.fixture(scope="module")
def render():
    """The text Rasa sends for a message the action dispatched (domain.yml's template, filled)."""
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet as RasaSlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)

    async def text_of(message: dict, language: str) -> str:
        tracker = DialogueStateTracker.from_events("t", [RasaSlotSet("language", language)], slots=domain.slots)
        variables = {k: v for k, v in message.items() if k not in ("response", "buttons")}
        return (await nlg.generate(message["response"], tracker, "rest", **variables))["text"]

    return text_of


def button_turn(code, intent, language):
    return turn("/" + intent, intent, focus=code, entities=[("procedure_code", code)], language=language)


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_every_seed_procedures_first_documents_answer_fits_a_phone(seeded, render, language):
    assert len(SEED_CODES) > 100
    too_long = []
    for code in SEED_CODES:
        _, messages = await run(ActionAnswerDocuments(), button_turn(code, "ask_documents", language))
        documents = next(m for m in messages if m["response"].startswith("utter_documents"))
        text = await render(documents, language)
        papers = [line for line in text.splitlines() if line.startswith("• ")]
        if len(text) > 700 or len(papers) > 6:
            too_long.append((code, len(text), len(papers)))
    assert not too_long, too_long


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_no_answer_prints_the_same_url_twice(seeded, render, language):
    repeated = []
    for code in SEED_CODES:
        for action, intent in ((ActionAnswerDocuments(), "ask_documents"), (ActionAnswerFee(), "ask_fee"),
                               (ActionAnswerProcessingTime(), "ask_processing_time"), (ActionAnswerWhere(), "ask_where")):
            _, messages = await run(action, button_turn(code, intent, language))
            for message in messages:
                urls = URL.findall(await render(message, language))
                if len(urls) != len(set(urls)):
                    repeated.append((code, message["response"], urls))
    assert not repeated, repeated[:10]
