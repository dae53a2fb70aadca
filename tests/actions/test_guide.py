"""The online-submission coach: start, every step to the end, skipped steps, interruptions, stuck, stop, and
coming back in a new session. Trackers: tests/data/trackers/guide_*.json; texts: knowledge/seed/guides/."""
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.guide import ActionGuideNext, ActionGuideResume, ActionGuideStart, ActionGuideStop, ActionGuideStuck
from actions.procedure_answers import ActionAnswerDocuments, ActionAnswerFee
from actions.session import ActionSessionStart

BIRTH_STEPS = ["vneid", "login", "find", "agency", "eform", "upload", "track", "result"]
GUIDE_SLOTS = ("guide_procedure", "guide_steps", "guide_step", "guide_status")


def names(messages):
    return [m["response"] for m in messages]


def slots_set(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def payloads(message):
    return [b["payload"] for b in message.get("buttons") or []]


async def walk_to_the_end(act, slots, total):
    """Press "Xong, tiếp theo" until the coach ends; returns the step messages and the last outcome."""
    steps = []
    for _ in range(total):
        events, messages = await act(ActionGuideNext(), "guide_next_button", **slots)
        slots.update(slots_set(events))
        steps += messages
    return steps, events


async def test_whole_flow_for_birth_registration_goes_through_every_step_to_the_end(act):
    events, messages = await act(ActionGuideStart(), "guide_whole_flow_birth")

    assert names(messages) == ["utter_guide_intro", "utter_guide_step"]
    assert messages[0]["procedure_code"] == "1.001193" and messages[0]["step_total"] == 8
    first = messages[1]
    assert (first["step_number"], first["step_total"]) == (1, 8)
    assert first["step_title"] == "Chuẩn bị tài khoản VNeID mức độ 2"
    slots = slots_set(events)
    assert slots == {
        "procedure_code": "1.001193",
        "guide_procedure": "1.001193",
        "guide_steps": BIRTH_STEPS,  # free: no payment step
        "guide_step": "vneid",
        "guide_status": "active",
    }

    steps, events = await walk_to_the_end(act, slots, 8)

    assert names(steps) == ["utter_guide_step"] * 7 + ["utter_guide_finished"]
    assert [m["step_number"] for m in steps[:7]] == [2, 3, 4, 5, 6, 7, 8]
    by_number = {m["step_number"]: m for m in steps[:7]}
    assert "https://dichvucong.gov.vn" in by_number[2]["step_body"]
    assert by_number[3]["step_title"] == "Tìm thủ tục 1.001193"
    assert "Thủ tục đăng ký khai sinh" in by_number[3]["step_body"]
    assert "Ủy ban nhân dân phường, xã nơi bạn cư trú" in by_number[4]["step_body"]
    upload = by_number[6]
    assert "Giấy chứng sinh" in upload["step_body"] and "Văn bản ủy quyền" in upload["step_body"]
    assert "Hộ chiếu" not in upload["step_body"]  # shown, not uploaded
    assert payloads(upload) == ['/ask_checklist{"procedure_code":"1.001193"}']
    assert "Giấy khai sinh" in by_number[8]["step_body"]
    assert all("{" not in m["step_body"] for m in steps[:7])
    assert steps[-1]["procedure_name"] == "Thủ tục đăng ký khai sinh"
    assert events == [SlotSet(name, None) for name in GUIDE_SLOTS]


async def test_whole_flow_in_english_uses_the_english_texts(act):
    events, messages = await act(ActionGuideStart(), "guide_whole_flow_birth_english")

    assert messages[1]["step_title"] == "Get a level-2 VNeID account"
    slots = slots_set(events)
    steps, _ = await walk_to_the_end(act, {**slots, "language": "en"}, 8)
    assert steps[1]["step_title"] == "Find procedure 1.001193"
    assert "the People's Committee of the ward or commune where you live" in steps[2]["step_body"]
    assert names(steps)[-1] == "utter_guide_finished"


async def test_procedure_with_a_fee_gets_the_payment_step_with_the_amount(act):
    events, messages = await act(ActionGuideStart(), "guide_passport_with_fee")

    assert names(messages) == ["utter_guide_intro_partial", "utter_guide_step"]  # not fully online
    slots = slots_set(events)
    assert slots["guide_steps"] == BIRTH_STEPS[:6] + ["payment"] + BIRTH_STEPS[6:]
    assert messages[1]["step_total"] == 9
    steps, _ = await walk_to_the_end(act, dict(slots), 9)
    by_key = dict(zip(slots["guide_steps"][1:], steps))
    assert by_key["payment"]["step_number"] == 7
    assert "160.000 đồng" in by_key["payment"]["step_body"]
    # who receives the file in Huế, not the central authority
    assert "Phòng Quản lý xuất nhập cảnh, Công an thành phố Huế" in by_key["agency"]["step_body"]
    assert "Cục quản lý xuất nhập cảnh" not in by_key["agency"]["step_body"]


async def test_button_under_an_answer_starts_with_the_procedure_in_focus(act):
    events, messages = await act(ActionGuideStart(), "guide_start_from_button")

    assert names(messages) == ["utter_guide_intro", "utter_guide_step"]
    assert slots_set(events)["guide_procedure"] == "1.001193"


async def test_no_procedure_named_asks_which_one(act):
    events, messages = await act(ActionGuideStart(), "guide_start_without_procedure")

    assert (events, names(messages)) == ([], ["utter_guide_ask_procedure"])


async def test_ministry_procedure_is_not_coached_and_the_city_says_it_does_not_handle_it(act):
    events, messages = await act(ActionGuideStart(), "guide_driving_licence_ministry")

    assert names(messages) == ["utter_guide_ministry"]
    assert messages[0]["handled_by"] == "Cục cảnh sát giao thông"
    assert "guide_status" not in slots_set(events)


async def test_procedure_not_online_gets_the_in_person_answer_instead(act):
    events, messages = await act(ActionGuideStart(), "guide_foreign_marriage_not_online")

    assert names(messages) == ["utter_guide_not_online", "utter_where", "utter_ask_ward"]
    assert messages[0]["procedure_code"] == "2.000806"
    assert "guide_status" not in slots_set(events)


async def test_next_without_a_coach_says_how_to_start(act):
    events, messages = await act(ActionGuideNext(), "guide_next_without_guide")

    assert (events, names(messages)) == ([], ["utter_guide_none"])


async def test_question_in_the_middle_is_answered_then_offers_the_same_step(act):
    events, messages = await act(ActionAnswerFee(), "guide_interruption_fee")

    assert events == []  # the coach's slots are untouched
    assert names(messages) == ["utter_fee", "utter_guide_resume_offer"]
    offer = messages[1]
    assert (offer["step_number"], offer["step_total"], offer["step_title"]) == (6, 8, "Tải lên giấy tờ")
    assert offer["procedure_name"] == "Thủ tục đăng ký khai sinh"

    events, messages = await act(ActionGuideResume(), "guide_resume_after_interruption")
    assert names(messages) == ["utter_guide_step"]
    assert messages[0]["step_number"] == 6 and events == []


async def test_question_about_another_procedure_keeps_the_coach_on_its_own_procedure(act):
    events, messages = await act(ActionAnswerDocuments(), "guide_interruption_documents_other_procedure")

    assert events == [SlotSet("procedure_code", "1.000894")]
    assert names(messages) == ["utter_documents", "utter_guide_resume_offer"]
    assert messages[1]["procedure_code"] == "1.001193" and messages[1]["step_number"] == 4


async def test_no_resume_offer_once_the_coach_is_paused(act):
    _, messages = await act(ActionAnswerFee(), "guide_interruption_fee", guide_status="paused")

    assert names(messages) == ["utter_fee"]


async def test_stuck_at_upload_gives_tips_the_photo_tutorial_and_the_hotlines(act):
    events, messages = await act(ActionGuideStuck(), "guide_stuck_upload")

    assert events == []
    assert names(messages) == ["utter_guide_help"]
    help_ = messages[0]
    assert help_["step_number"] == 6 and "Ảnh quá nặng" in help_["step_help"]
    assert help_["city_hotline"] == "1022" and help_["national_hotline"] == "18001096"
    assert payloads(help_) == ['/ask_tutorial{"tutorial":"photo"}']
    assert help_["buttons"][0]["title"] == "Xem hướng dẫn: Chụp giấy tờ bằng điện thoại"


async def test_stuck_in_english_gets_english_tips(act):
    _, messages = await act(ActionGuideStuck(), "guide_stuck_english")

    assert messages[0]["step_help"].startswith("No level-2 account yet")
    assert messages[0]["buttons"][0]["title"] == "Tutorial: Create a VNeID account and raise it to level 2"


async def test_stop_pauses_and_a_second_stop_drops_the_coach(act):
    events, messages = await act(ActionGuideStop(), "guide_stop_at_login")

    assert events == [SlotSet("guide_status", "paused")]
    assert names(messages) == ["utter_guide_paused"]
    assert (messages[0]["step_number"], messages[0]["step_total"]) == (2, 8)

    events, messages = await act(ActionGuideStop(), "guide_stop_at_login", guide_status="paused")
    assert names(messages) == ["utter_guide_forgotten"]
    assert events == [SlotSet(name, None) for name in GUIDE_SLOTS]


async def test_coming_back_in_a_new_session_offers_to_continue_where_they_stopped(act):
    events, messages = await act(ActionSessionStart(), "guide_come_back_new_session")

    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    carried = slots_set(events)
    assert carried["guide_step"] == "eform" and carried["guide_steps"] == BIRTH_STEPS
    assert carried["guide_status"] == "paused" and carried["language"] == "vi"
    assert names(messages) == ["utter_guide_welcome_back"]
    assert (messages[0]["step_number"], messages[0]["step_title"]) == (5, "Điền tờ khai điện tử")

    events, messages = await act(ActionGuideResume(), "guide_resume_after_interruption", **carried)
    assert messages[0]["step_number"] == 5
    assert events == [SlotSet("guide_status", "active")]


async def test_new_session_without_a_coach_only_carries_the_slots_over(act):
    events, messages = await act(
        ActionSessionStart(), "guide_come_back_new_session", guide_status=None, guide_step=None
    )

    assert messages == []
    assert slots_set(events) == {"procedure_code": "1.001193", "language": "vi", "guide_procedure": "1.001193",
                                 "guide_steps": BIRTH_STEPS}  # fmt: skip


async def test_upload_step_lists_the_papers_of_the_citizens_own_checklist(act):
    answers = {"birth_certificate": "no", "applicant": "parent"}
    coach = dict(guide_procedure="1.001193", guide_steps=BIRTH_STEPS, guide_step="upload", guide_status="active")
    _, messages = await act(
        ActionGuideResume(), "guide_resume_after_interruption", checklist_procedure="1.001193",
        checklist_answers=answers, **coach,
    )  # fmt: skip

    body = messages[0]["step_body"]
    assert "Văn bản của người làm chứng xác nhận về việc sinh" in body
    assert "Văn bản ủy quyền" not in body and "Giấy chứng sinh;" not in body


async def test_a_plain_ok_moves_the_coach_on_and_otherwise_asks_what_else(act, scenario_state):
    from actions.guide import ActionAffirm

    state = scenario_state("guide_next_button")
    state["latest_message"] = {"text": "ok", "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    events, messages = await act(ActionAffirm(), state)
    _, following = await act(ActionGuideNext(), scenario_state("guide_next_button"))
    assert [m["response"] for m in messages] == [m["response"] for m in following]
    assert any(e.get("name") == "guide_step" for e in events)
    idle = scenario_state("birth_documents_no_diacritics")
    idle["latest_message"] = {"text": "ok", "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    events, messages = await act(ActionAffirm(), idle)
    assert events == [] and [m["response"] for m in messages] == ["utter_ask_more"]


async def test_an_old_start_button_does_not_send_the_coach_back_to_step_one(act, scenario_state):
    from actions.guide import ActionGuideResume

    state = scenario_state("guide_next_button")
    state["slots"]["guide_step"] = "upload"  # step 6 of 8
    code = state["slots"]["guide_procedure"]
    state["latest_message"] = {"text": "/start_guide", "intent": {"name": "start_guide", "confidence": 1.0},
                               "entities": [{"entity": "procedure_code", "value": code}]}
    events, messages = await act(ActionGuideStart(), state)
    at_upload = scenario_state("guide_next_button")
    at_upload["slots"]["guide_step"] = "upload"
    _, resumed = await act(ActionGuideResume(), at_upload)
    assert messages == resumed  # the step where the citizen was (6 of 8), not step 1
    assert not any(e.get("name") == "guide_step" and e.get("value") == "vneid" for e in events)
