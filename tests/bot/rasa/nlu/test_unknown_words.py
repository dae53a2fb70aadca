"""Messages made only of words never seen in the in-scope training data are out of scope; others keep DIET's intent."""
import pytest
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.nlu.unknown_words import UnknownWordsClassifier

TRAINING = [
    ("làm giấy khai sinh cần giấy tờ gì", "ask_documents"),
    ("how much is the fee", "ask_fee"),
    ("ok", "affirm"),
    ("ko cần đâu", "deny"),
    ("hjkl qwerty", "out_of_scope"),  # out-of-scope words do not count as known
]
LOOKUP = [{"name": "procedure", "elements": ["giấy chứng nhận quyền sử dụng đất", "sổ đỏ"]}]


@pytest.fixture
def trained(storage, context):
    resource = Resource("unknown_words")
    examples = [Message(data={"text": text, "intent": intent}) for text, intent in TRAINING]
    component = UnknownWordsClassifier.create(UnknownWordsClassifier.get_default_config(), storage, resource, context)
    component.train(TrainingData(training_examples=examples, lookup_tables=LOOKUP))
    return UnknownWordsClassifier.load(UnknownWordsClassifier.get_default_config(), storage, resource, context)


def _parsed(component, text: str, intent: str = "affirm") -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.93})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.93}, {"name": "deny", "confidence": 0.05}])
    component.process([message])
    return message


@pytest.mark.parametrize("text", ["hjkl", "kkk", "aaaaaa", "ddddd ffff", "qwerty"])
def test_keyboard_mashing_is_out_of_scope_with_dies_ranking_kept_below(trained, text):
    message = _parsed(trained, text)
    assert message.get("intent") == {"name": "out_of_scope", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["out_of_scope", "affirm", "deny"]


@pytest.mark.parametrize(
    "text",
    [
        "lam giay khai sinh",  # known words, typed without diacritics
        "OK!",
        "k cần",  # teencode; "cần" is known
        "sổ đỏ",  # only in the lookup table
        "So do",
        "👍",  # no words at all: DIET decides
        "123 456",
    ],
)
def test_messages_with_a_known_word_or_no_word_keep_their_intent(trained, text):
    message = _parsed(trained, text)
    assert message.get("intent") == {"name": "affirm", "confidence": 0.93}


def test_an_untrained_component_changes_nothing(storage, context):
    component = UnknownWordsClassifier.load(
        UnknownWordsClassifier.get_default_config(), storage, Resource("never_trained"), context
    )
    assert _parsed(component, "hjkl").get("intent")["name"] == "affirm"
