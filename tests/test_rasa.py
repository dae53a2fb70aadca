"""Rasa's own checks on the trained model: data validation, conversation stories and held-out NLU.

One `rasa test` run (model loaded once) evaluates the conversation stories in tests/stories/ and the
held-out NLU examples in tests/nlu/ that training never saw.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from knowledge.settings import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "hue.tar.gz"
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(PROJECT_ROOT)}
# The held-out set must stay at least this good (macro-averaged intent F1).
MIN_HELD_OUT_INTENT_F1 = 0.85

needs_model = pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make test`, which trains it")


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args], cwd=PROJECT_ROOT, env=ENV, capture_output=True, text=True,
        timeout=timeout,
    )


def test_training_data_is_valid():
    result = rasa("data", "validate", "--quiet")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def rasa_test_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("rasa-test")
    result = rasa(
        "test", "--model", str(MODEL), "--stories", "tests/stories", "--nlu", "tests/nlu",
        "--out", str(out), "--no-plot", "--quiet",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


@needs_model
def test_every_conversation_story_passes(rasa_test_results):
    failed = yaml.safe_load((rasa_test_results / "failed_test_stories.yml").read_text()) or {}
    stories = failed.get("stories") or []
    assert not stories, "failed stories:\n" + (rasa_test_results / "failed_test_stories.yml").read_text()[:4000]


@needs_model
def test_held_out_questions_are_understood(rasa_test_results):
    report = json.loads((rasa_test_results / "intent_report.json").read_text())
    assert report["macro avg"]["f1-score"] >= MIN_HELD_OUT_INTENT_F1, {
        intent: round(scores["f1-score"], 2)
        for intent, scores in report.items()
        if isinstance(scores, dict) and "f1-score" in scores
    }
