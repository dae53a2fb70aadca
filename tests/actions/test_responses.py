"""domain.yml responses: every one has a Vietnamese default and an English variation, and Rasa's own
generator fills them without leaving a placeholder behind."""
import re
from pathlib import Path

import pytest
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")
EN = [{"type": "slot", "name": "language", "value": "en"}]


@pytest.fixture(scope="module")
def rasa_domain():
    return Domain.load(str(ROOT / "domain.yml"))


def test_each_response_has_a_default_and_an_english_variation(rasa_domain):
    for name, variations in rasa_domain.responses.items():
        conditions = [v.get("condition") for v in variations]
        assert conditions.count(None) == 1, name
        assert EN in conditions, name


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_responses_render_fully_in_both_languages(rasa_domain, language):
    nlg = TemplatedNaturalLanguageGenerator(rasa_domain.responses)
    tracker = DialogueStateTracker.from_events("t", [SlotSet("language", language)], slots=rasa_domain.slots)
    texts = {}
    for name, variations in rasa_domain.responses.items():
        variables = {key: f"<{key}>" for v in variations for key in PLACEHOLDER.findall(v.get("text", ""))}
        rendered = await nlg.generate(name, tracker, "rest", **variables)
        assert "{" not in rendered["text"], (name, rendered["text"])
        texts[name] = rendered["text"]
    # the English slot picks the English text
    assert texts["utter_greet"].startswith("Hello" if language == "en" else "Xin chào")


async def test_answer_buttons_ask_follow_up_questions(rasa_domain):
    payloads = {b["payload"] for v in rasa_domain.responses["utter_overview"] for b in v["buttons"]}
    assert payloads == {
        "/ask_documents", "/ask_fee", "/ask_processing_time", "/ask_where", "/ask_online", "/ask_steps",
        "/start_guide",
    }  # fmt: skip


def test_responses_uttered_by_rules_and_stories_need_no_action_variables(rasa_domain):
    """A response a rule utters directly gets only slot values: any other {placeholder} would show as is."""
    uttered = set()
    for path in list((ROOT / "data" / "rules").glob("*.yml")) + list((ROOT / "data" / "stories").glob("*.yml")):
        uttered |= set(re.findall(r"action:\s*(utter_\w+)", path.read_text(encoding="utf-8")))
    assert uttered, "no rule utters a response directly"
    slots = {slot.name for slot in rasa_domain.slots}
    for name in uttered:
        for variation in rasa_domain.responses[name]:
            assert set(PLACEHOLDER.findall(variation.get("text", ""))) <= slots, name


def test_every_button_in_the_domain_sends_an_intent_the_gateway_lets_through(rasa_domain):
    """A button whose intent is not in bot.gateway.payloads.ALLOWED_INTENTS would reach Rasa as plain words."""
    import json

    from bot.gateway.payloads import ALLOWED_INTENTS, to_rasa_message

    for name, variations in rasa_domain.responses.items():
        for variation in variations:
            for button in variation.get("buttons") or []:
                payload = button["payload"]
                intent = payload[1:].split("{", 1)[0]
                assert intent in ALLOWED_INTENTS, (name, payload)
                if "{" in payload:
                    json.loads(payload[payload.index("{"):])
                assert to_rasa_message(payload, lambda text: text) == payload, (name, payload)
