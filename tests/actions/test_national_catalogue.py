"""With the whole national catalogue imported, the bot answers for procedures that are not in the seed.

Reads ../shared/tthc/national-procedures-2026-07.jsonl.gz (never copied into the project); skips where absent.
"""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.procedure_answers import (
    ActionAnswerDocuments,
    ActionAnswerFee,
    ActionAnswerOnline,
    ActionAnswerProcessingTime,
    ActionAnswerWhere,
)
from knowledge.importers.catalogue import import_file
from knowledge.settings import NATIONAL_CATALOGUE

NATIONAL = NATIONAL_CATALOGUE


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory, knowledge_base_in):
    if not NATIONAL.exists():
        pytest.skip(f"{NATIONAL} absent: the national records are read from ../shared, never committed")

    def fill(kb):
        assert import_file(kb.session, NATIONAL).created >= 2600

    with knowledge_base_in(tmp_path_factory.mktemp("national"), fill) as kb:
        yield kb


def turn(text: str, intent: str) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "national",
            "slots": {"procedure_code": None, "ward": None, "language": "vi", "pending_info": None},
            "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
            "events": [],
        }
    )


async def answer(action, text: str, intent: str):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, turn(text, intent), {})
    return events, dispatcher.messages


@pytest.mark.parametrize(
    ("action", "text", "intent", "code", "response"),
    [
        (ActionAnswerDocuments(), "đăng ký khai sinh lưu động cần giấy tờ gì", "ask_documents", "1.003583",
         "utter_documents"),
        (ActionAnswerFee(), "dang ky ket hon co yeu to nuoc ngoai le phi bao nhieu", "ask_fee", "2.000806",
         "utter_fee"),
        (ActionAnswerProcessingTime(), "đăng ký lại kết hôn mất bao lâu", "ask_processing_time", "1.004746",
         "utter_processing_time"),
        (ActionAnswerOnline(), "đăng ký khai tử lưu động nộp online được không", "ask_online", "1.000419", None),
    ],
)
async def test_answers_come_from_the_imported_record(catalogue, action, text, intent, code, response):
    events, messages = await answer(action, text, intent)

    assert SlotSet("procedure_code", code) in events
    if messages[0]["response"] == "utter_yes_no":  # a yes/no question gets "Có."/"Không." first
        messages = messages[1:]
    assert messages[0]["procedure_code"] == code
    assert messages[0]["official_url"].startswith("https://dichvucong.gov.vn/")
    if response:
        assert messages[0]["response"] == response


async def test_ministry_level_procedure_is_marked_not_handled_by_the_city(catalogue):
    # "Cấp giấy phép lái xe quốc tế" is published for the ministry level only.
    events, messages = await answer(ActionAnswerWhere(), "cấp giấy phép lái xe quốc tế nộp ở đâu", "ask_where")

    assert SlotSet("procedure_code", "3.000353") in events
    assert [m["response"] for m in messages][:1] == ["utter_where_ministry"]
