from actions.handoff import ActionHandoff


async def test_asking_for_a_person_always_gets_the_hotlines_with_their_hours(act, scenario_state):
    state = scenario_state("birth_documents_no_diacritics")
    state["latest_message"] = {"text": "tôi muốn nói chuyện với nhân viên", "intent": {"name": "bot_challenge"},
                               "entities": []}
    events, messages = await act(ActionHandoff(), state)
    assert events == [] and [m["response"] for m in messages] == ["utter_handoff"]
    assert (messages[0]["city_hotline"], messages[0]["national_hotline"]) == ("1022", "18001096")
    assert messages[0]["hotline_hours"]
    state["slots"]["language"] = "en"
    _, english = await act(ActionHandoff(), state)
    assert english[0]["hotline_hours"] != messages[0]["hotline_hours"]
