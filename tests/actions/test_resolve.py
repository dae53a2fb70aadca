"""Choosing by confidence on the whole question (actions.resolve), through the answer actions."""
from rasa_sdk.events import SlotSet

from actions.fallback import ActionFallback
from actions.procedure_answers import ActionAnswerDocuments, ActionAnswerFee, ActionAnswerOnline
from actions.resolve import asked_parts, is_yes_no, switches


def asking(scenario_state, text, intent="ask_documents", entities=(), **slots):
    state = scenario_state("birth_documents_no_diacritics")
    state["latest_message"] = {"text": text, "intent": {"name": intent, "confidence": 0.9},
                               "entities": [{"entity": "procedure", "value": v} for v in entities]}
    state["slots"].update(slots)
    return state


def responses(messages):
    return [m["response"] for m in messages]


async def test_an_entity_is_a_hint_and_the_more_specific_procedure_the_question_names_wins(act, scenario_state):
    state = asking(scenario_state, "đăng ký kết hôn có yếu tố nước ngoài cần gì", entities=["đăng ký kết hôn"])
    events, _ = await act(ActionAnswerDocuments(), state)
    assert SlotSet("procedure_code", "2.000806") in events


async def test_several_plausible_procedures_are_offered_as_three_buttons_and_none_of_these(act, scenario_state):
    events, messages = await act(ActionAnswerDocuments(), asking(scenario_state, "đăng ký"))
    if responses(messages) == ["utter_choose_procedure"]:
        buttons = messages[0]["buttons"]
        assert 2 <= len(buttons) <= 4 and buttons[-1]["payload"] == "/deny"
        assert all("procedure_code" in b["payload"] for b in buttons[:-1])
    else:  # one plausible candidate: answered, and the bot says which one it assumed
        assert responses(messages)[0] == "utter_assumed_procedure"


async def test_a_question_asking_documents_fee_and_time_gets_all_three(act, scenario_state):
    state = asking(scenario_state, "lam giay khai sinh can giay to gi, le phi bao nhieu, may ngay")
    _, messages = await act(ActionAnswerDocuments(), state)
    kinds = responses(messages)
    assert kinds.index("utter_documents") < kinds.index("utter_fee") < kinds.index("utter_processing_time")


async def test_yes_no_question_gets_yes_or_no_first(act, scenario_state):
    _, messages = await act(ActionAnswerOnline(), asking(scenario_state, "khai sinh nộp online được không",
                                                         intent="ask_online"))
    assert responses(messages)[0] == "utter_yes_no" and messages[0]["answer"] in ("Có.", "Không.")
    _, fee = await act(ActionAnswerFee(), asking(scenario_state, "đăng ký khai sinh có mất phí không",
                                                 intent="ask_fee"))
    assert fee[0]["answer"] == "Không."  # the fixture's birth registration is free


async def test_what_about_switches_to_the_other_procedure(act, scenario_state):
    state = asking(scenario_state, "còn kết hôn thì sao", intent="ask_documents", procedure_code="1.001193")
    events, _ = await act(ActionAnswerDocuments(), state)
    assert SlotSet("procedure_code", "1.000894") in events


async def test_nothing_plausible_names_the_department_of_the_field_when_one_is_close(act, scenario_state):
    _, messages = await act(ActionFallback(), asking(scenario_state, "hộ tịch của ông bà xưa", intent="nlu_fallback"))
    assert responses(messages) in (["utter_not_found_department"], ["utter_not_found"], ["utter_choose_procedure"])
    if responses(messages) == ["utter_not_found_department"]:
        assert "Tư pháp" in messages[0]["department"]


def test_the_words_of_a_question_tell_what_is_asked():
    assert asked_parts("cần giấy tờ gì, bao nhiêu tiền, mất bao lâu?") == ["documents", "fee", "processing_time"]
    assert asked_parts("How long does it take and how much?") == ["fee", "processing_time"]
    assert is_yes_no("nộp online được không?") and is_yes_no("Can I apply online?")
    assert not is_yes_no("làm hộ chiếu ở đâu")
    assert switches("còn tạm trú thì sao") and switches("What about a passport?")
    assert not switches("con tôi cần làm giấy khai sinh")


async def test_eligibility_comes_from_the_record_conditions_with_the_legal_basis(act, scenario_state):
    _, messages = await act(ActionAnswerDocuments(), asking(scenario_state, "điều kiện đăng ký kết hôn là gì"))
    kinds = responses(messages)
    assert "utter_conditions" in kinds or "utter_conditions_none" in kinds
    answer = messages[kinds.index(next(k for k in kinds if k.startswith("utter_conditions")))]
    assert answer["procedure_code"] == "1.000894" and answer["legal_basis"]


async def test_a_legal_question_names_who_answers_legal_questions(act, scenario_state):
    state = asking(scenario_state, "không đăng ký thì có bị phạt không", procedure_code="1.000894")
    _, messages = await act(ActionAnswerDocuments(), state)  # a follow-up about the marriage in focus
    assert responses(messages)[-1] == "utter_legal_question"
    assert "Trợ giúp pháp lý" in messages[-1]["department"]
    _, unknown = await act(ActionFallback(), asking(scenario_state, "xây lấn vỉa hè bị xử phạt thế nào",
                                                    intent="out_of_scope"))
    assert responses(unknown) in (["utter_legal_question"], ["utter_choose_procedure"])
