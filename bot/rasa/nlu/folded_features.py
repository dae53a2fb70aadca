"""`FoldedCountVectorsFeaturizer`: count vectors of the accent-folded, abbreviation-expanded tokens.

pyvi only joins syllables into words when diacritics are present, so "làm giấy khai sinh" and
"lam giay khai sinh" share few word features. This featurizer is Rasa's `CountVectorsFeaturizer` fed with
`fold(expand_abbreviations(token))` instead of the token text: "gplx", "giấy phép lái xe" and
"giay phep lai xe" all become "giay phep lai xe". One string per token keeps the sequence features aligned
with the tokens; vocabulary persistence and loading are the parent's.

Defaults to character n-grams (`analyzer: char_wb`, 2–5). With `analyzer: word` (set `min_ngram: 1`) it is a
bag of folded syllables, the same whichever way pyvi segmented the words.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import ACTION_NAME, INTENT, INTENT_RESPONSE_KEY
from rasa.shared.nlu.training_data.message import Message

from knowledge.text import expand_abbreviations, fold

LABEL_ATTRIBUTES = (INTENT, ACTION_NAME, INTENT_RESPONSE_KEY)


@lru_cache(maxsize=50_000)
def folded_token(token: str) -> str:
    """The token as the featurizer sees it: abbreviations expanded, then accents folded."""
    return fold(expand_abbreviations(token)) or fold(token)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class FoldedCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Count vectors over folded tokens (char_wb 2–5 by default)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **CountVectorsFeaturizer.get_default_config(),
            "analyzer": "char_wb",
            "min_ngram": 2,
            "max_ngram": 5,
        }

    def _get_message_tokens_by_attribute(
        self, message: Message, attribute: Text
    ) -> List[Text]:
        tokens = super()._get_message_tokens_by_attribute(message, attribute)
        if attribute in LABEL_ATTRIBUTES or not message.get(TOKENS_NAMES.get(attribute, "")):
            return tokens
        return [folded_token(token) for token in tokens]
