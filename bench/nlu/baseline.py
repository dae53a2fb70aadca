"""Classical baseline on the same folds: TF-IDF (word 1–2 + char_wb 2–5) and logistic regression.

Two variants: on the raw lowercased text, and on the accent-folded, abbreviation-expanded text
(the same `knowledge.text` helpers the Rasa featurizer uses). Intent only, no entities.
"""

from __future__ import annotations

import time

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union
from sklearn.feature_extraction.text import TfidfVectorizer

from bench.nlu.data import Example
from bench.nlu.metrics import Prediction
from knowledge.text import expand_abbreviations, fold


def _prepare(text: str, folded: bool) -> str:
    return fold(expand_abbreviations(text)) if folded else text.lower()


def train_and_predict(train: list[Example], test: list[Example], folded: bool) -> tuple[list[Prediction], dict]:
    model = make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(max_iter=2000, C=10.0),
    )
    started = time.perf_counter()
    model.fit([_prepare(e.text, folded) for e in train], [e.intent for e in train])
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()
    intents = model.predict([_prepare(e.text, folded) for e in test])
    parse_ms = 1000 * (time.perf_counter() - started) / max(len(test), 1)
    predictions = [Prediction(intent=str(i), scores_entities=False) for i in intents]
    return predictions, {"train_seconds": train_seconds, "parse_ms_per_message": parse_ms}
