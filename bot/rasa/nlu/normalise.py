"""`TextNormaliser`: rewrite a message's text in Unicode NFC before tokenisation.

Vietnamese typed on some keyboards arrives decomposed (NFD: base letter + combining marks). Tokenisers and
count vectors would see different strings for the same word, so the text is composed first. Training examples
are normalised too; their entity offsets are moved to match the composed text.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

NORMAL_FORM = "NFC"


def _composed(text: str) -> str:
    return unicodedata.normalize(NORMAL_FORM, text)


def _move_entity(entity: Dict[Text, Any], original: str) -> Dict[Text, Any]:
    """Return the entity with offsets counted in the composed text."""
    if ENTITY_ATTRIBUTE_START not in entity or ENTITY_ATTRIBUTE_END not in entity:
        return entity
    start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
    return {
        **entity,
        ENTITY_ATTRIBUTE_START: len(_composed(original[:start])),
        ENTITY_ATTRIBUTE_END: len(_composed(original[:end])),
    }


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class TextNormaliser(GraphComponent):
    """Composes the message text (Unicode NFC); place it first in the pipeline."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TextNormaliser":
        return cls()

    @staticmethod
    def normalise_message(message: Message) -> Message:
        text: Optional[str] = message.get(TEXT)
        if not isinstance(text, str):
            return message
        composed = _composed(text)
        if composed == text:
            return message
        entities = message.get(ENTITIES)
        message.set(TEXT, composed)
        if entities:
            message.set(ENTITIES, [_move_entity(entity, text) for entity in entities])
        return message

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self.normalise_message(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self.normalise_message(message)
        return training_data
