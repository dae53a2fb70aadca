"""Train a Rasa NLU model for one fold with one candidate pipeline, then parse the held-out examples."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import time
from pathlib import Path

import yaml

from bench.nlu.data import Corpus, Example, write_training_file
from bench.nlu.metrics import Prediction

FALLBACK_INTENT = "nlu_fallback"
SCORED_EXTRACTORS = frozenset({"DIETClassifier", "CRFEntityExtractor"})


def quiet_rasa() -> None:
    """No telemetry, no training cache between folds, less log noise. Call before importing rasa.*"""
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.getLogger("rasa").setLevel(logging.WARNING)
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def write_config(pipeline_file: Path, target: Path, epochs: int | None) -> Path:
    config = yaml.safe_load(pipeline_file.read_text(encoding="utf-8"))
    if epochs is not None:
        for component in config["pipeline"]:
            if component["name"] == "DIETClassifier":
                component["epochs"] = epochs
    config["policies"] = []
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def write_domain(examples: list[Example], target: Path) -> Path:
    intents = sorted({e.intent for e in examples})
    entities = sorted({span[0] for e in examples for span in e.entities} | {"language"})
    target.write_text(
        yaml.safe_dump({"version": "3.1", "intents": intents, "entities": entities}, allow_unicode=True),
        encoding="utf-8",
    )
    return target


def _prediction(parse: dict) -> Prediction:
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
    fallback = (parse.get("intent") or {}).get("name") == FALLBACK_INTENT
    intent = ranking[0]["name"] if ranking else (parse.get("intent") or {}).get("name", "")
    entities = tuple(
        (e["entity"], e["start"], e["end"])
        for e in parse.get("entities") or []
        if e.get("extractor") in SCORED_EXTRACTORS
    )
    return Prediction(intent=intent, entities=entities, fallback=fallback)


def train_and_predict(
    pipeline_file: Path, train: list[Example], test: list[Example], corpus: Corpus, work_dir: Path,
    epochs: int | None = None,
) -> tuple[list[Prediction], dict]:
    """Returns the predictions for `test` and timings (train_seconds, parse_ms_per_message)."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    work_dir.mkdir(parents=True, exist_ok=True)
    config = write_config(pipeline_file, work_dir / "config.yml", epochs)
    nlu = write_training_file(train, corpus.lookups, work_dir / "nlu.yml")
    domain = write_domain(train, work_dir / "domain.yml")
    with contextlib.redirect_stdout(sys.stderr):  # keep stdout for the report
        started = time.perf_counter()
        model_path = train_nlu(
            config=str(config), nlu_data=str(nlu), output=str(work_dir), fixed_model_name="model",
            domain=str(domain),
        )
        train_seconds = time.perf_counter() - started
        if not model_path:
            raise RuntimeError(f"training {pipeline_file.name} produced no model")
        agent = Agent.load(model_path)

        async def parse_all() -> list[dict]:
            return [await agent.parse_message(example.text) for example in test]

        started = time.perf_counter()
        parses = asyncio.run(parse_all())
        parse_ms = 1000 * (time.perf_counter() - started) / max(len(test), 1)
    return [_prediction(p) for p in parses], {"train_seconds": train_seconds, "parse_ms_per_message": parse_ms}
