"""`UnknownWordsClassifier`: a message without a single word the assistant has ever seen is out of scope.

DIET always picks one of the intents it knows. Keyboard mashing ("hjkl", "kkk", "aaaaaa", "ddddd ffff")
shares character n-grams with short answers and lands, confidently, on `affirm`: the fallback threshold does
not catch it (bench/README.md "NLU", confusion out_of_scope → affirm). This component remembers every word of
the in-scope training examples and of the lookup tables (procedure names, wards), accent-folded, with and
without abbreviations expanded. A message that has words but none of them known gets the intent
`out_of_scope` at confidence 1.0, DIET's ranking kept below it. `action_fallback` still searches the
knowledge base with the whole message, so a procedure name never seen in training is not lost.

A message without any word (emoji, punctuation, digits) is left to DIET. Place it after DIETClassifier and
before FallbackClassifier.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.nlu.stored import StoredIntentClassifier
from knowledge.text import expand_abbreviations, fold, words


def message_words(text: str) -> set[str]:
    """The folded words of `text`, as written and with abbreviations spelled out; digits left out."""
    found = set(words(fold(text))) | set(words(fold(expand_abbreviations(text))))
    return {word for word in found if not word.isdigit()}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsClassifier(StoredIntentClassifier):
    """Sets `out_of_scope` on messages made only of words never seen in the in-scope training data."""

    FILE = "known_words.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "out_of_scope"}

    def use(self, trained: Optional[Iterable[str]]) -> None:
        self.known = frozenset(trained or ())

    @staticmethod
    def read(path: Path) -> list[str]:
        return json.loads(path.read_text("utf-8"))

    @staticmethod
    def write(trained: Iterable[str], path: Path) -> None:
        path.write_text(json.dumps(sorted(trained), ensure_ascii=False), "utf-8")

    def train(self, training_data: TrainingData) -> Resource:
        known: set[str] = set()
        for example in training_data.intent_examples:
            if example.get(INTENT) != self._config["intent"]:
                known |= message_words(example.get(TEXT) or "")
        for table in training_data.lookup_tables:
            elements = table.get("elements")
            for element in elements if isinstance(elements, list) else []:
                known |= message_words(str(element))
        return self.store(known)

    def is_unknown(self, text: Optional[str]) -> bool:
        """True when the text has words and none of them is known."""
        found = message_words(text or "")
        return bool(found) and bool(self.known) and found.isdisjoint(self.known)

    def process(self, messages: List[Message]) -> List[Message]:
        name = self._config["intent"]
        for message in messages:
            if not self.is_unknown(message.get(TEXT)):
                continue
            intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
        return messages
