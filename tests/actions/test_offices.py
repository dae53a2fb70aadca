"""action_ward_office: a ward's service point; the name always, other details only when known."""
from rasa_sdk.events import SlotSet

from actions.offices import ActionWardOffice


async def test_ward_without_known_address_gets_its_name_and_no_address_line(act):
    events, messages = await act(ActionWardOffice(), "ward_office_unknown_address")

    assert events == [SlotSet("ward", "Phường Thuận An")]
    assert [m["response"] for m in messages] == ["utter_ward_office_no_details"]
    answer = messages[0]
    assert answer["ward_name"] == "Phường Thuận An"
    assert answer["office_name"] == "Ủy ban nhân dân Phường Thuận An"
    assert "office_details" not in answer and "address" not in answer
    assert answer["city_hotline"] == "1022"


async def test_ward_with_known_office_lists_address_hours_and_phone(act):
    events, messages = await act(ActionWardOffice(), "ward_office_known_address")

    assert events == [SlotSet("ward", "Phường Thuận Hóa")]
    assert [m["response"] for m in messages] == ["utter_ward_office"]
    assert messages[0]["office_details"].splitlines() == [
        "Địa chỉ: Số 1 Đường Thử, phường Thuận Hóa (dữ liệu thử)",
        "Giờ làm việc: Thứ Hai đến Thứ Sáu (dữ liệu thử)",
        "Điện thoại: 0234 000 000",
    ]


async def test_ward_office_in_english_uses_english_labels(act):
    _, messages = await act(ActionWardOffice(), "ward_office_known_address", language="en")

    assert messages[0]["office_details"].splitlines()[0] == "Address: Số 1 Đường Thử, phường Thuận Hóa (dữ liệu thử)"


async def test_ward_outside_hue_is_not_guessed(act):
    events, messages = await act(ActionWardOffice(), "ward_office_not_in_hue")

    assert events == [SlotSet("ward", None)]
    assert [m["response"] for m in messages] == ["utter_ward_unknown"]
    assert messages[0]["ward_text"] == "phường Bến Nghé"


async def test_no_ward_named_asks_for_it(act):
    events, messages = await act(ActionWardOffice(), "ward_office_no_ward")

    assert events == []
    assert [m["response"] for m in messages] == ["utter_ask_ward"]
