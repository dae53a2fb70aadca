import numpy as np
import pytest
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.nlu.folded_features import FoldedCountVectorsFeaturizer, folded_token

TRAINING = [
    ("làm giấy khai sinh cần giấy tờ gì", "ask_documents"),
    ("lệ phí đổi giấy phép lái xe bao nhiêu", "ask_fee"),
    ("nộp hồ sơ ở đâu", "ask_where"),
]


@pytest.fixture
def tokenizer():
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def tokenised(tokenizer, *texts: str) -> list[Message]:
    messages = [Message(data={"text": text}) for text in texts]
    tokenizer.process(messages)
    return messages


def trained(storage, context, tokenizer, resource=Resource("folded")) -> FoldedCountVectorsFeaturizer:
    featurizer = FoldedCountVectorsFeaturizer.create(FoldedCountVectorsFeaturizer.get_default_config(), storage, resource, context)
    data = TrainingData([Message(data={"text": t, "intent": i}) for t, i in TRAINING])
    tokenizer.process_training_data(data)
    featurizer.train(data)
    return featurizer


def sentence_features(featurizer, message: Message) -> np.ndarray:
    featurizer.process([message])
    _, sentence = message.get_sparse_features("text")
    return sentence.features.toarray()


def test_folded_token_expands_and_folds():
    assert folded_token("gplx") == "giay phep lai xe"
    assert folded_token("Giấy") == "giay"


@pytest.mark.parametrize(
    "accented, plain",
    [
        ("làm giấy khai sinh cần giấy tờ gì", "lam giay khai sinh can giay to gi"),
        ("lệ phí đổi giấy phép lái xe bao nhiêu", "le phi doi gplx bn"),
    ],
)
def test_accented_and_plain_text_get_the_same_features(storage, context, tokenizer, accented, plain):
    featurizer = trained(storage, context, tokenizer)
    first, second = tokenised(tokenizer, accented, plain)

    features = sentence_features(featurizer, first)

    assert features.sum() > 0
    np.testing.assert_array_equal(features, sentence_features(featurizer, second))


def test_one_sequence_row_per_token(storage, context, tokenizer):
    featurizer = trained(storage, context, tokenizer)
    [message] = tokenised(tokenizer, "đổi gplx ở đâu")

    featurizer.process([message])
    sequence, _ = message.get_sparse_features("text")

    assert sequence.features.shape[0] == len(message.get("text_tokens"))


def test_persisted_featurizer_loads_with_the_same_vocabulary(storage, context, tokenizer):
    resource = Resource("folded_persisted")
    featurizer = trained(storage, context, tokenizer, resource)
    loaded = FoldedCountVectorsFeaturizer.load(FoldedCountVectorsFeaturizer.get_default_config(), storage, resource, context)
    first, second = tokenised(tokenizer, "nop ho so o dau", "nop ho so o dau")

    np.testing.assert_array_equal(sentence_features(featurizer, first), sentence_features(loaded, second))
    assert isinstance(loaded, FoldedCountVectorsFeaturizer)


def test_word_analyzer_counts_folded_syllables_whatever_the_segmentation(storage, context, tokenizer):
    from rasa.nlu.tokenizers.tokenizer import Token

    config = {**FoldedCountVectorsFeaturizer.get_default_config(), "analyzer": "word", "min_ngram": 1, "max_ngram": 1}
    featurizer = FoldedCountVectorsFeaturizer.create(config, storage, Resource("folded_words"), context)
    data = TrainingData([Message(data={"text": t, "intent": i}) for t, i in TRAINING])
    tokenizer.process_training_data(data)
    featurizer.train(data)
    segmented = Message(data={"text": "làm giấy khai sinh"})  # as pyvi splits text with diacritics
    segmented.set("text_tokens", [Token("làm", 0), Token("giấy", 4), Token("khai sinh", 9)])
    [plain] = tokenised(tokenizer, "lam giay khai sinh")

    np.testing.assert_array_equal(sentence_features(featurizer, segmented), sentence_features(featurizer, plain))
