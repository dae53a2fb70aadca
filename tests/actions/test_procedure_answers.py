"""Answers about a procedure: the exact events and the responses with their key variables."""
import pytest
from rasa_sdk.events import SlotSet

from actions.procedure_answers import (
    ActionAnswerDocuments,
    ActionAnswerFee,
    ActionAnswerOnline,
    ActionAnswerOverview,
    ActionAnswerProcessingTime,
    ActionAnswerSteps,
    ActionAnswerWhere,
)
from knowledge import repository

BIRTH_URL = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7"
MARRIAGE_URL = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fac-7489-b53b-a15eb239a6fe"


def names(messages):
    return [m["response"] for m in messages]


async def test_documents_for_birth_registration_typed_without_diacritics(act):
    events, messages = await act(ActionAnswerDocuments(), "birth_documents_no_diacritics")

    assert events == [SlotSet("procedure_code", "1.001193")]
    assert names(messages) == ["utter_documents"]
    answer = messages[0]
    assert answer["procedure_code"] == "1.001193"
    assert answer["procedure_name"] == "Thủ tục đăng ký khai sinh"
    assert "Giấy chứng sinh" in answer["documents"]
    assert answer["official_url"] == BIRTH_URL
    assert "source_url" not in answer  # one link: the official page, never the same URL twice
    assert BIRTH_URL not in answer["documents"]


async def test_documents_list_papers_to_show_under_their_own_heading(act):
    _, messages = await act(ActionAnswerDocuments(), "birth_documents_entity")

    documents = messages[0]["documents"]
    assert documents.index("Giấy tờ cần nộp:") < documents.index("Giấy chứng sinh")
    assert documents.index("Giấy tờ cần mang theo để xuất trình:") < documents.index("Hộ chiếu/Thẻ căn cước")
    assert "1 bản chính" in documents


async def test_follow_up_fee_uses_the_procedure_in_focus(act):
    events, messages = await act(ActionAnswerFee(), "birth_documents_followup")

    assert events == []  # the procedure in focus stays
    assert names(messages) == ["utter_fee"]
    assert messages[0]["procedure_code"] == "1.001193"
    # the three channels cost the same: one line naming all three
    assert messages[0]["fees"] == "• Trực tuyến, Qua bưu chính, Trực tiếp: Miễn phí"


async def test_button_payload_is_not_searched_and_keeps_the_focus(act):
    events, messages = await act(ActionAnswerProcessingTime(), "birth_time_button")

    assert events == []
    assert names(messages) == ["utter_processing_time"]
    assert messages[0]["times"] == "• Trực tuyến, Qua bưu chính, Trực tiếp: 1 Ngày làm việc"


async def test_naming_another_procedure_replaces_the_one_in_focus(act):
    events, messages = await act(ActionAnswerDocuments(), "marriage_replaces_birth")

    assert events == [SlotSet("procedure_code", "1.000894")]
    assert messages[0]["procedure_code"] == "1.000894"
    assert "Tờ khai đăng ký kết hôn" in messages[0]["documents"]
    assert "mẫu: Tờ khai đăng ký kết hôn (Mẫu TP/HT-2020-KH.1)" in messages[0]["documents"]
    assert messages[0]["official_url"] == MARRIAGE_URL


async def test_close_candidates_are_offered_as_buttons_and_the_question_remembered(act):
    events, messages = await act(ActionAnswerFee(), "registration_ambiguous_fee")

    assert events == [SlotSet("pending_info", "fee")]
    assert names(messages) == ["utter_choose_procedure"]
    payloads = [button["payload"] for button in messages[0]["buttons"]]
    assert '/choose_procedure{"procedure_code":"1.000894"}' in payloads
    assert '/choose_procedure{"procedure_code":"1.001193"}' in payloads
    assert len(payloads) == len(set(payloads)) >= 2
    titles = [button["title"] for button in messages[0]["buttons"]]
    assert "Thủ tục đăng ký kết hôn" in titles


async def test_fee_question_without_any_procedure_asks_which_one(act):
    events, messages = await act(ActionAnswerFee(), "fee_without_procedure")

    assert events == [SlotSet("pending_info", "fee")]
    assert names(messages) == ["utter_ask_which_procedure"]


async def test_gibberish_taken_for_a_question_is_admitted_not_asked_back(act):
    # DIET may give "abc xyz linh tinh" a procedure intent with high confidence (RASA-NOTES "Confidence")
    events, messages = await act(ActionAnswerDocuments(), "gibberish_fallback")

    assert events == []
    assert names(messages) == ["utter_not_found"]


async def test_procedure_named_after_the_question_gets_the_pending_answer(act):
    events, messages = await act(ActionAnswerOverview(), "birth_named_after_fee_question")

    assert events == [SlotSet("procedure_code", "1.001193"), SlotSet("pending_info", None)]
    assert names(messages) == ["utter_fee"]
    assert messages[0]["procedure_code"] == "1.001193"


async def test_a_question_left_pending_earlier_in_the_chat_is_not_answered_later(act):
    events, messages = await act(ActionAnswerOverview(), "birth_named_long_after_fee_question")

    assert events == [SlotSet("procedure_code", "1.001193"), SlotSet("pending_info", None)]
    assert names(messages) == ["utter_overview"]


async def test_unknown_procedure_entity_is_admitted_not_answered_from_focus(act):
    events, messages = await act(ActionAnswerDocuments(), "gibberish_with_entity")

    assert events == []
    assert names(messages) == ["utter_not_found"]
    assert messages[0]["national_portal_url"] == "https://dichvucong.gov.vn"
    assert messages[0]["national_hotline"] == "18001096"
    assert messages[0]["city_hotline"] == "1022"


async def test_overview_gives_name_code_field_agency_and_link(act, scenario_state):
    state = scenario_state("birth_documents_entity")
    state["latest_message"]["text"] = "thủ tục đăng ký khai sinh"  # names the procedure, asks no part of it
    events, messages = await act(ActionAnswerOverview(), state)

    assert events == [SlotSet("procedure_code", "1.001193")]
    overview = messages[0]
    assert overview["response"] == "utter_overview"
    assert (overview["procedure_name"], overview["procedure_code"]) == ("Thủ tục đăng ký khai sinh", "1.001193")
    assert overview["field"] == "Hộ tịch"
    assert overview["result"] == "Giấy khai sinh"
    assert overview["handled_by"] == "Ủy ban nhân dân phường, xã"  # the record names no agency
    assert overview["official_url"] == BIRTH_URL


async def test_ministry_level_procedure_is_not_handled_by_the_city(act):
    events, messages = await act(ActionAnswerWhere(), "driving_licence_where")

    assert events == [SlotSet("procedure_code", "3.000346")]
    assert names(messages) == ["utter_where_ministry"]
    assert messages[0]["handled_by"] == "Cục cảnh sát giao thông"
    assert messages[0]["procedure_code"] == "3.000346"


async def test_ministry_level_fee_answer_adds_the_not_city_note(act):
    _, messages = await act(ActionAnswerFee(), "driving_licence_fee_followup")

    assert names(messages) == ["utter_fee", "utter_not_city_level"]
    # a record without structured fees: its cell is quoted as the record's words
    assert messages[0]["fees"] == "• Trực tuyến: “Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần”"
    assert messages[1]["handled_by"] == "Cục cảnh sát giao thông"


async def test_passport_where_is_the_city_polices_immigration_office(act):
    events, messages = await act(ActionAnswerWhere(), "passport_where")

    assert events == [SlotSet("procedure_code", "1.001456")]
    assert names(messages) == ["utter_where"]  # no address in the test KB: nothing invented
    places = messages[0]["places"]
    assert places.splitlines()[0] == "• Phòng Quản lý xuất nhập cảnh, Công an thành phố Huế"
    assert "Công an cấp Tỉnh" in places  # the record's words it comes from
    assert "Cục quản lý xuất nhập cảnh" not in places  # the central authority is not where citizens go


async def test_fee_amount_without_published_text_is_formatted(act):
    _, messages = await act(ActionAnswerFee(), "passport_fee_followup")

    assert messages[0]["fees"] == "• Trực tuyến, Trực tiếp: 160.000 đồng"


async def test_ward_level_where_asks_the_ward_when_unknown(act):
    events, messages = await act(ActionAnswerWhere(), "birth_where_no_ward")

    assert events == [SlotSet("procedure_code", "1.001193")]
    assert names(messages) == ["utter_where", "utter_ask_ward"]
    assert "phường, xã nơi bạn ở" in messages[0]["places"]


async def test_ward_level_where_gives_the_known_wards_office(act):
    events, messages = await act(ActionAnswerWhere(), "birth_where_known_ward")

    assert events == [SlotSet("ward", "Phường Thuận Hóa")]
    assert names(messages) == ["utter_where", "utter_ward_office"]
    assert "Bộ phận một cửa phường Thuận Hóa" in messages[0]["places"]
    assert "Địa chỉ: Số 1 Đường Thử" in messages[1]["office_details"]


@pytest.mark.parametrize(
    "scenario, response",
    [
        ("birth_online", "utter_online_full"),
        ("marriage_online", "utter_online_partial"),
        ("foreign_marriage_online", "utter_online_unavailable"),
    ],
)
async def test_online_answer_follows_the_record(act, scenario, response):
    events, messages = await act(ActionAnswerOnline(), scenario)

    assert events == []
    # The scenarios ask yes/no ("… nộp online được không"): yes or no first, from the record's channels.
    assert names(messages) == ["utter_yes_no", response]
    assert messages[0]["answer"] == ("Không." if response == "utter_online_unavailable" else "Có.")
    assert messages[1]["official_url"].startswith("https://dichvucong.gov.vn/thu-tuc-hanh-chinh/")


async def test_steps_are_numbered_from_the_record(act):
    _, messages = await act(ActionAnswerSteps(), "birth_steps")

    assert names(messages) == ["utter_steps"]
    lines = messages[0]["steps"].splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("1. Người yêu cầu nộp hồ sơ")


async def test_steps_unknown_when_the_record_has_none(act):
    _, messages = await act(ActionAnswerSteps(), "birth_steps", procedure_code="1.000894")

    assert names(messages) == ["utter_steps_unknown"]
    assert messages[0]["official_url"] == MARRIAGE_URL


async def test_english_slot_gives_the_same_data(act):
    events, messages = await act(ActionAnswerDocuments(), "english_birth_documents")

    assert events == [SlotSet("procedure_code", "1.001193")]
    assert names(messages) == ["utter_documents"]
    assert messages[0]["procedure_code"] == "1.001193"
    assert "Giấy chứng sinh" in messages[0]["documents"]
    assert "Papers to hand in:" in messages[0]["documents"]
    assert "1 × bản chính" in messages[0]["documents"]


async def test_english_fee_and_channel_words(act):
    _, messages = await act(ActionAnswerFee(), "english_birth_fee_followup")

    assert messages[0]["fees"] == "• Online, By post, In person: Free"


async def test_time_without_a_unit_in_the_record_is_not_guessed(act, kb):
    with kb.session() as session, session.begin():
        record = repository.procedure_to_record(repository.get_procedure(session, "1.001193"))
        for channel in record["channels"]:
            channel.update(time_value=1, time_unit="", time_text="1")  # as the national record publishes it
        repository.upsert_procedure(session, record, actor="test")

    _, messages = await act(ActionAnswerProcessingTime(), "birth_time_button")

    # never "1 (no unit)": a number without its unit is not a time
    assert messages[0]["times"] == (
        "• Trực tuyến, Qua bưu chính, Trực tiếp: hồ sơ không ghi đơn vị thời gian (xem trang chính thức)"
    )
