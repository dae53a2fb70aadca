"""action_fallback: answer only when a procedure fits confidently; otherwise admit it, never invent."""
from rasa_sdk.events import SlotSet

from actions.fallback import ActionFallback


async def test_gibberish_gets_not_found_and_no_procedure(act):
    events, messages = await act(ActionFallback(), "gibberish_fallback")

    assert events == []
    assert [m["response"] for m in messages] == ["utter_not_found"]
    assert messages[0]["national_portal_url"] == "https://dichvucong.gov.vn"
    assert (messages[0]["national_hotline"], messages[0]["city_hotline"]) == ("18001096", "1022")
    assert "procedure_code" not in messages[0]


async def test_gibberish_does_not_reuse_the_procedure_in_focus(act):
    events, messages = await act(ActionFallback(), "gibberish_fallback", procedure_code="1.001193")

    assert events == []
    assert [m["response"] for m in messages] == ["utter_not_found"]


async def test_out_of_scope_question_is_declined(act):
    events, messages = await act(ActionFallback(), "weather_out_of_scope")

    assert events == []
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]


async def test_unclear_intent_but_clear_procedure_gets_the_overview(act):
    events, messages = await act(ActionFallback(), "driving_licence_fallback")

    assert events == [SlotSet("procedure_code", "3.000346")]
    assert [m["response"] for m in messages] == ["utter_overview", "utter_not_city_level"]
    assert messages[0]["procedure_name"] == "Cấp giấy phép lái xe"
