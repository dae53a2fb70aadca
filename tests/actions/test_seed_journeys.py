"""The main journeys against the real seed (knowledge/seed/procedures.yml): the facts citizens will get."""
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.procedure_answers import ActionAnswerDocuments, ActionAnswerFee, ActionAnswerOnline
from knowledge import repository

SEED = Path(__file__).resolve().parents[2] / "knowledge" / "seed" / "procedures.yml"
BIRTH = "1.001193"


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

    first_paper = next(line for line in messages[0]["documents"].splitlines() if line.startswith("• "))
    assert "Giấy chứng sinh" in first_paper
    assert "bỏ rơi" in messages[0]["documents"]  # the abandoned-child case is still listed, later


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
    assert [m["response"] for m in messages] == ["utter_fee"]
    assert messages[0]["procedure_code"] == BIRTH



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
    assert messages[0]["procedure_code"] == BIRTH


async def test_gibberish_is_admitted(seeded):
    events, messages = await run(ActionFallback(), turn("abc xyz linh tinh", "nlu_fallback"))

    assert events == []
    assert [m["response"] for m in messages] == ["utter_not_found"]
