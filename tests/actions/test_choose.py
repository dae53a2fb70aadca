"""action_choose_procedure: the citizen picked a candidate button."""
from rasa_sdk.events import SlotSet

from actions.choose import ActionChooseProcedure


async def test_choice_answers_the_question_asked_before_the_buttons(act):
    events, messages = await act(ActionChooseProcedure(), "registration_choice_fee")

    # procedure_code was already set from the button's entity by the slot mapping; only pending_info clears
    assert events == [SlotSet("pending_info", None)]
    assert [m["response"] for m in messages] == ["utter_fee"]
    assert messages[0]["procedure_code"] == "1.000894"
    assert messages[0]["procedure_name"] == "Thủ tục đăng ký kết hôn"
    # the cell's note names a copy fee: the record's words are quoted, not "Miễn phí" alone
    assert messages[0]["fees"].startswith("• Trực tuyến, Trực tiếp: “Miễn phí (Miễn lệ phí.")


async def test_choice_without_pending_question_gives_the_overview(act):
    events, messages = await act(ActionChooseProcedure(), "registration_choice_fee", pending_info=None)

    assert events == []
    assert [m["response"] for m in messages] == ["utter_overview"]
    assert messages[0]["procedure_code"] == "1.000894"


async def test_choice_of_a_code_missing_from_the_kb_is_admitted(act):
    events, messages = await act(ActionChooseProcedure(), "stale_choice_button")

    assert events == []
    assert [m["response"] for m in messages] == ["utter_not_found"]
