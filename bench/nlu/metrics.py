"""Scores for the NLU benchmark: intent macro-F1 and entity F1, overall and per writing style."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sklearn.metrics import f1_score

from bench.nlu.data import STYLES, Example

Span = tuple[str, int, int]


@dataclass(frozen=True)
class Prediction:
    intent: str                      # best intent, fallback undone (as `rasa test` does)
    entities: tuple[Span, ...] = ()  # DIET's (and synonym mapper's) entities; None for intent-only models
    fallback: bool = False           # FallbackClassifier would have answered nlu_fallback
    scores_entities: bool = True


def intent_macro_f1(examples: list[Example], predictions: list[Prediction]) -> float | None:
    if not examples:
        return None
    truth = [e.intent for e in examples]
    guess = [p.intent for p in predictions]
    return float(f1_score(truth, guess, labels=sorted(set(truth)), average="macro", zero_division=0))


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def entity_f1(examples: list[Example], predictions: list[Prediction], exact: bool = True) -> float | None:
    """Micro F1 over annotated entities; exact = same type and span, else same type and overlapping span."""
    true_positive = predicted = expected = 0
    for example, prediction in zip(examples, predictions):
        expected += len(example.entities)
        predicted += len(prediction.entities)
        remaining = list(prediction.entities)
        for span in example.entities:
            match = next(
                (p for p in remaining if (p == span if exact else _overlaps(p, span))), None
            )
            if match is not None:
                remaining.remove(match)
                true_positive += 1
    if expected == 0 and predicted == 0:
        return None
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / expected if expected else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def confusion_pairs(examples: list[Example], predictions: list[Prediction], top: int = 8) -> list[dict]:
    pairs = Counter(
        (e.intent, p.intent) for e, p in zip(examples, predictions) if e.intent != p.intent
    )
    return [{"true": t, "predicted": p, "count": n} for (t, p), n in pairs.most_common(top)]


def summarise(examples: list[Example], predictions: list[Prediction]) -> dict:
    """Scores overall and per style, plus confusion pairs and the fallback rate."""
    by_style = {}
    for style in ("all", *STYLES):
        chosen = [
            (e, p) for e, p in zip(examples, predictions) if style == "all" or e.style == style
        ]
        ex = [e for e, _ in chosen]
        pr = [p for _, p in chosen]
        scores_entities = bool(pr) and pr[0].scores_entities
        by_style[style] = {
            "examples": len(ex),
            "intent_macro_f1": intent_macro_f1(ex, pr),
            "intent_accuracy": (sum(e.intent == p.intent for e, p in chosen) / len(chosen)) if chosen else None,
            "entity_f1": entity_f1(ex, pr) if scores_entities else None,
            "entity_f1_overlap": entity_f1(ex, pr, exact=False) if scores_entities else None,
        }
    out_of_scope = [(e, p) for e, p in zip(examples, predictions) if e.intent == "out_of_scope"]
    return {
        "by_style": by_style,
        "confusions": confusion_pairs(examples, predictions),
        "errors": [
            {"text": e.text, "style": e.style, "true": e.intent, "predicted": p.intent}
            for e, p in zip(examples, predictions) if e.intent != p.intent
        ],
        "fallback_rate": sum(p.fallback for p in predictions) / len(predictions) if predictions else None,
        "out_of_scope_recall": (
            sum(p.intent == "out_of_scope" or p.fallback for _, p in out_of_scope) / len(out_of_scope)
            if out_of_scope else None
        ),
    }
