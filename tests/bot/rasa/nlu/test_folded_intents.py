"""FoldedIntentClassifier learns intents from folded text: the same question with or without diacritics or in
teencode gets the same intent, and the trained model survives being stored and loaded."""
import pytest
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.nlu.folded_intents import FoldedIntentClassifier, folded_text

TRAINING = {
    "ask_documents": ["làm giấy khai sinh cần giấy tờ gì", "cần mang những giấy tờ nào", "hồ sơ gồm những gì",
                      "what documents do I need"],
    "ask_fee": ["lệ phí bao nhiêu", "làm sổ đỏ tốn bao nhiêu tiền", "phí đổi bằng lái là bao nhiêu",
                "how much does it cost"],
    "greet": ["xin chào", "chào bạn", "hello", "chào ad"],
}


def _train(storage, context, training=TRAINING) -> Resource:
    resource = Resource("folded_intents")
    examples = [Message(data={"text": t, "intent": i}) for i, texts in training.items() for t in texts]
    component = FoldedIntentClassifier.create(FoldedIntentClassifier.get_default_config(), storage, resource, context)
    component.train(TrainingData(training_examples=examples))
    return resource


def _load(storage, context, resource) -> FoldedIntentClassifier:
    return FoldedIntentClassifier.load(FoldedIntentClassifier.get_default_config(), storage, resource, context)


def _intent(component, text: str) -> dict:
    message = Message(data={"text": text})
    component.process([message])
    return message


@pytest.mark.parametrize(
    "text, intent",
    [
        ("giấy tờ cần những gì", "ask_documents"),
        ("giay to can nhung gi", "ask_documents"),  # without diacritics
        ("le phi bn tien", "ask_fee"),  # teencode "bn" = bao nhiêu
        ("chào", "greet"),
    ],
)
def test_stored_model_classifies_every_writing_style(storage, context, text, intent):
    component = _load(storage, context, _train(storage, context))
    message = _intent(component, text)
    assert message.get("intent")["name"] == intent
    ranking = message.get("intent_ranking")
    assert ranking[0] == message.get("intent")
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6  # all three intents ranked


def test_folded_text_spells_out_and_strips_accents():
    assert folded_text("Lệ phí BN tiền?") == folded_text("le phi bao nhieu tien?")


def test_without_training_data_it_changes_nothing(storage, context):
    resource = _train(storage, context, {"greet": ["xin chào"]})  # one intent: nothing to tell apart
    component = _load(storage, context, resource)
    message = Message(data={"text": "xin chào", "intent": {"name": "greet", "confidence": 0.7}})
    component.process([message])
    assert message.get("intent") == {"name": "greet", "confidence": 0.7}


def test_fast_scorer_gives_scikit_learns_probabilities():
    from pathlib import Path

    from bench.nlu.data import load_corpus
    from bot.rasa.nlu.folded_intents import LinearScorer, tfidf_logistic_regression

    examples = load_corpus(Path(__file__).resolve().parents[4] / "data" / "nlu").examples
    texts = [folded_text(e.text) for e in examples]
    model = tfidf_logistic_regression().fit(texts[::2], [e.intent for e in examples[::2]])
    unseen = texts[1::2] + ["", "zzzz qqqq", "le phi le phi le phi"]  # held out, nothing known, repeated words
    two_intents = [(t, e.intent) for t, e in zip(texts, examples) if e.intent in ("ask_fee", "greet")]
    binary = tfidf_logistic_regression().fit([t for t, _ in two_intents], [i for _, i in two_intents])
    for fitted in (model, binary):
        scorer = LinearScorer(fitted)
        for text, row in zip(unseen, fitted.predict_proba(unseen)):
            assert scorer.probabilities(text) == pytest.approx(row, abs=1e-9)
        assert scorer.classes == list(fitted.classes_)
