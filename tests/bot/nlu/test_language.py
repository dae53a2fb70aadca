import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language import LanguageDetector


def language_entities(text: str, entities=None) -> list[dict]:
    message = Message(data={"text": text, "entities": list(entities or [])})
    LanguageDetector().process([message])
    return [e for e in message.get("entities") if e["entity"] == "language"]


@pytest.mark.parametrize(
    "text, language",
    [
        ("làm giấy khai sinh cần giấy tờ gì", "vi"),
        ("lam giay khai sinh can giay to gi", "vi"),
        ("how much does a passport cost", "en"),
    ],
)
def test_clear_language_becomes_an_entity(text, language):
    [entity] = language_entities(text)

    assert entity["value"] == language
    assert entity["extractor"] == "LanguageDetector"
    assert (entity["start"], entity["end"]) == (0, len(text))


@pytest.mark.parametrize("text", ["asdfgh", "ok", "12345", "   "])
def test_nothing_when_unsure(text):
    assert language_entities(text) == []


def test_other_entities_are_kept_and_language_replaced():
    procedure = {"entity": "procedure", "start": 4, "end": 13, "value": "khai sinh"}
    stale = {"entity": "language", "start": 0, "end": 3, "value": "en"}

    message = Message(data={"text": "làm khai sinh ở đâu", "entities": [procedure, stale]})
    LanguageDetector().process([message])

    assert procedure in message.get("entities")
    assert [e["value"] for e in message.get("entities") if e["entity"] == "language"] == ["vi"]
