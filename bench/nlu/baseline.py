"""Classical baseline on the same folds: TF-IDF (word 1–2 + char_wb 2–5) and logistic regression.

Two variants: on the raw lowercased text (what a team would otherwise use), and on the accent-folded,
abbreviation-expanded text. The folded variant is exactly `bot.rasa.nlu.folded_intents.FoldedIntentClassifier`
outside Rasa, the same model construction and text preparation. Intent only, no entities.
"""

from __future__ import annotations

import time

from bench.nlu.data import Example
from bench.nlu.metrics import Prediction
from bot.rasa.nlu.folded_intents import folded_text, tfidf_logistic_regression


def _prepare(text: str, folded: bool) -> str:
    return folded_text(text) if folded else text.lower()


def train_and_predict(train: list[Example], test: list[Example], folded: bool) -> tuple[list[Prediction], dict]:
    model = tfidf_logistic_regression()
    started = time.perf_counter()
    model.fit([_prepare(e.text, folded) for e in train], [e.intent for e in train])
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()
    intents = model.predict([_prepare(e.text, folded) for e in test])
    parse_ms = 1000 * (time.perf_counter() - started) / max(len(test), 1)
    predictions = [Prediction(intent=str(i), scores_entities=False) for i in intents]
    return predictions, {"train_seconds": train_seconds, "parse_ms_per_message": parse_ms}
