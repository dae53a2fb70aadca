"""Load data/nlu with each example's writing style, make stratified folds, write fold files for Rasa.

The style comes from the file name (see the header of data/nlu/*.yml): `<topic>_vi.yml` (diacritics),
`<topic>_vi_plain.yml` (no diacritics), `<topic>_teen.yml` (teencode), `<topic>_en.yml` (English).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

STYLES = ("vi", "vi_plain", "teen", "en")
# Intents that are button payloads, not typed text: always trained on, never scored.
NOT_SCORED = frozenset({"choose_procedure"})


def style_of(path: Path) -> str | None:
    """The writing style a data file's name declares, longest suffix first."""
    for style in sorted(STYLES, key=len, reverse=True):
        if path.stem.endswith(f"_{style}"):
            return style
    return None


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[tuple[str, int, int], ...]  # (entity, start, end)
    style: str
    message: Message = field(compare=False, repr=False)


@dataclass
class Corpus:
    examples: list[Example]
    lookups: TrainingData  # lookup tables and regexes, added to every training fold


def load_corpus(nlu_dir: Path) -> Corpus:
    examples: list[Example] = []
    for path in sorted(nlu_dir.glob("*.yml")):
        style = style_of(path)
        if style is None:
            raise ValueError(f"{path}: file name must end with one of {STYLES} to declare its style")
        for message in load_data(str(path)).intent_examples:
            entities = tuple(
                (e["entity"], e["start"], e["end"]) for e in message.get("entities") or []
            )
            examples.append(Example(message.get("text"), message.get("intent"), entities, style, message))
    lookup_dir = nlu_dir / "lookups"
    lookups = load_data(str(lookup_dir)) if lookup_dir.is_dir() and any(lookup_dir.glob("*.yml")) else TrainingData()
    return Corpus(examples, lookups)


def smoke_corpus(corpus: Corpus, per_intent_style: int = 2) -> Corpus:
    """A tiny, deterministic subset: a few examples of each intent in each style."""
    taken: dict[tuple[str, str], int] = {}
    subset = []
    for example in corpus.examples:
        key = (example.intent, example.style)
        if taken.get(key, 0) < per_intent_style:
            taken[key] = taken.get(key, 0) + 1
            subset.append(example)
    return Corpus(subset, corpus.lookups)


def folds(examples: list[Example], k: int, seed: int = 42) -> Iterator[tuple[list[Example], list[Example]]]:
    """Stratified by (intent, style); NOT_SCORED intents are always in the training part."""
    rng = random.Random(seed)
    buckets: dict[tuple[str, str], list[int]] = {}
    for index, example in enumerate(examples):
        if example.intent not in NOT_SCORED:
            buckets.setdefault((example.intent, example.style), []).append(index)
    assignment: dict[int, int] = {}
    offset = 0
    for key in sorted(buckets):
        indices = buckets[key]
        rng.shuffle(indices)
        for position, index in enumerate(indices):
            assignment[index] = (offset + position) % k
        offset += len(indices)  # rotate so small buckets do not all start in fold 0
    for fold in range(k):
        train = [e for i, e in enumerate(examples) if assignment.get(i, -1) != fold]
        test = [e for i, e in enumerate(examples) if assignment.get(i, -1) == fold]
        yield train, test


def write_training_file(examples: list[Example], lookups: TrainingData, path: Path) -> Path:
    data = TrainingData([e.message for e in examples]).merge(lookups)
    path.write_text(data.nlu_as_yaml(), encoding="utf-8")
    return path
