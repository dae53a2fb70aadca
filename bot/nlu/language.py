"""`LanguageDetector`: tell the dialogue which language the citizen writes in.

Adds `{"entity": "language", "value": "vi" | "en"}` from `knowledge.text.detect_language`; adds nothing when
the text is too short or mixed to tell, so the `language` slot keeps its previous value. The entity spans the
whole message because the whole message is what was classified.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from knowledge.text import detect_language

LANGUAGE_ENTITY = "language"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
    """Emits a `language` entity ("vi" or "en") when the message's language is clear."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        return cls()

    def language_entity(self, text: str) -> Dict[Text, Any] | None:
        language = detect_language(text)
        if language not in ("vi", "en"):
            return None
        return {
            ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY,
            ENTITY_ATTRIBUTE_VALUE: language,
            ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: len(text),
        }

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip():
                continue
            entity = self.language_entity(text)
            if entity is None:
                continue
            entities = [
                existing
                for existing in message.get(ENTITIES, [])
                if existing.get(ENTITY_ATTRIBUTE_TYPE) != LANGUAGE_ENTITY
            ]
            entities.extend(self.add_extractor_name([entity]))
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
