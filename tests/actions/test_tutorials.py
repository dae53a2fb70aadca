"""action_tutorial: stand-alone tutorials from the knowledge base (knowledge/seed/guides/)."""
from actions.tutorials import ActionTutorial


def names(messages):
    return [m["response"] for m in messages]


async def test_forgotten_password_named_by_the_entity(act):
    events, messages = await act(ActionTutorial(), "tutorial_forgot_password")

    assert events == []
    assert names(messages) == ["utter_tutorial"]
    tutorial = messages[0]
    assert tutorial["tutorial_title"] == "Quên mật khẩu VNeID"
    assert tutorial["tutorial_steps"].startswith('1. Chọn "Quên mật khẩu": Mở ứng dụng VNeID.')
    assert tutorial["city_hotline"] == "1022"


async def test_tutorial_found_by_its_keywords_without_diacritics(act):
    _, messages = await act(ActionTutorial(), "tutorial_photo_no_diacritics")

    assert messages[0]["tutorial_title"] == "Chụp giấy tờ bằng điện thoại"


async def test_button_in_english_gets_the_english_tutorial_with_settings_filled(act):
    _, messages = await act(ActionTutorial(), "tutorial_button_english")

    tutorial = messages[0]
    assert tutorial["tutorial_title"] == "Create a VNeID account and raise it to level 2"
    assert "level 2" in tutorial["tutorial_steps"] and "{" not in tutorial["tutorial_steps"]


async def test_login_tutorial_names_the_national_portal(act, scenario_state):
    state = scenario_state("tutorial_unclear")
    state["latest_message"]["text"] = "đăng nhập dịch vụ công thế nào"
    _, messages = await act(ActionTutorial(), state)

    assert messages[0]["tutorial_title"] == "Đăng nhập Cổng Dịch vụ công quốc gia"
    assert "https://dichvucong.gov.vn" in messages[0]["tutorial_steps"]


async def test_unclear_request_lists_every_tutorial_as_a_button(act):
    _, messages = await act(ActionTutorial(), "tutorial_unclear")

    assert names(messages) == ["utter_tutorial_choose"]
    assert sorted(b["payload"] for b in messages[0]["buttons"]) == sorted(
        f'/ask_tutorial{{"tutorial":"{slug}"}}' for slug in ("login", "password", "payment", "photo", "tracking", "vneid")
    )


async def test_tutorial_in_the_middle_of_the_coach_offers_to_go_back(act):
    _, messages = await act(
        ActionTutorial(), "tutorial_forgot_password", guide_procedure="1.001193", guide_step="login",
        guide_steps=["vneid", "login", "find"], guide_status="active",
    )  # fmt: skip

    assert names(messages) == ["utter_tutorial", "utter_guide_resume_offer"]
    assert (messages[1]["step_number"], messages[1]["step_total"]) == (2, 3)
