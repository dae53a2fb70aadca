"""action_checklist: only the questions that change the list, then the list and its printable link."""
from rasa_sdk.events import SlotSet

from actions.checklist import ActionChecklist


def names(messages):
    return [m["response"] for m in messages]


def answer(state, value):
    state["latest_message"]["text"] = '/checklist_answer{"checklist_answer":"%s"}' % value
    state["latest_message"]["entities"] = [{"entity": "checklist_answer", "value": value}]
    return state


async def test_asking_for_a_checklist_asks_the_first_question_with_its_answers_as_buttons(act):
    events, messages = await act(ActionChecklist(), "checklist_birth_start")

    assert events == [
        SlotSet("procedure_code", "1.001193"),
        SlotSet("checklist_procedure", "1.001193"),
        SlotSet("checklist_answers", {}),
    ]
    assert names(messages) == ["utter_checklist_question"]
    assert messages[0]["question"] == "Bé có Giấy chứng sinh do bệnh viện, cơ sở y tế cấp không?"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/checklist_answer{"checklist_answer":"birth_certificate:yes"}',
        '/checklist_answer{"checklist_answer":"birth_certificate:no"}',
    ]


async def test_answers_lead_to_the_list_for_that_case_and_a_printable_link(act, scenario_state):
    state = scenario_state("checklist_birth_answer")
    answers = {}
    for value in ("birth_certificate:no", "applicant:parent", "channel:online", "special:none"):
        state["slots"]["checklist_answers"] = answers
        events, messages = await act(ActionChecklist(), answer(state, value))
        answers = {e["name"]: e["value"] for e in events}["checklist_answers"]

    assert answers == {"birth_certificate": "no", "applicant": "parent", "channel": "online", "special": "none"}
    assert names(messages) == ["utter_checklist"]
    checklist = messages[0]["checklist"]
    assert "Văn bản của người làm chứng xác nhận về việc sinh" in checklist
    assert "Giấy chứng sinh;" not in checklist  # no hospital certificate: not on the list
    assert "Văn bản ủy quyền" not in checklist  # a parent registers
    assert checklist.index("Giấy tờ cần mang theo để xuất trình:") < checklist.index("Hộ chiếu/Thẻ căn cước")
    assert messages[0]["checklist_url"] == (
        "http://127.0.0.1:8000/checklist/1.001193"
        "?birth_certificate=no&applicant=parent&channel=online&special=none&lang=vi"
    )


async def test_an_authorised_person_with_a_birth_certificate_gets_both_papers(act, scenario_state):
    state = scenario_state("checklist_birth_answer")
    state["slots"]["checklist_answers"] = {"birth_certificate": "yes", "channel": "in_person", "special": "none"}
    _, messages = await act(ActionChecklist(), answer(state, "applicant:authorised"))

    checklist = messages[0]["checklist"]
    assert "• Giấy chứng sinh (1 bản chính)" in checklist
    assert "Văn bản ủy quyền" in checklist
    assert "người làm chứng" not in checklist


async def test_procedure_without_checklist_rules_lists_everything_at_once(act):
    _, messages = await act(ActionChecklist(), "checklist_marriage_without_rules")

    assert names(messages) == ["utter_checklist"]
    assert "Tờ khai đăng ký kết hôn" in messages[0]["checklist"]
    assert messages[0]["checklist_url"].endswith("/checklist/1.000894?lang=vi")


async def test_a_question_does_not_get_the_coach_resume_offer_but_the_finished_list_does(act, scenario_state):
    coach = dict(guide_procedure="1.001193", guide_step="upload", guide_steps=["upload", "track"], guide_status="active")
    _, messages = await act(ActionChecklist(), "checklist_birth_start", **coach)
    assert names(messages) == ["utter_checklist_question"]

    _, messages = await act(ActionChecklist(), "checklist_marriage_without_rules", **coach)
    assert names(messages) == ["utter_checklist", "utter_guide_resume_offer"]
