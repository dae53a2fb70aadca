import unicodedata

from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.nlu.normalise import TextNormaliser


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_decomposed_text_is_composed():
    message = Message(data={"text": nfd("làm căn cước ở đâu")})

    TextNormaliser().process([message])

    assert message.get("text") == unicodedata.normalize("NFC", "làm căn cước ở đâu")
    assert len(message.get("text")) == len("làm căn cước ở đâu")


def test_training_entities_follow_the_composed_text():
    text = nfd("lệ phí làm hộ chiếu bao nhiêu")
    start = text.index(nfd("làm hộ chiếu"))
    end = start + len(nfd("làm hộ chiếu"))
    message = Message(
        data={"text": text, "intent": "ask_fee",
              "entities": [{"entity": "procedure", "start": start, "end": end, "value": nfd("làm hộ chiếu")}]}
    )

    TextNormaliser().process_training_data(TrainingData([message]))

    entity = message.get("entities")[0]
    assert message.get("text")[entity["start"]:entity["end"]] == "làm hộ chiếu"


def test_composed_text_is_left_alone():
    message = Message(data={"text": "Làm giấy khai sinh"})

    TextNormaliser().process([message])

    assert message.get("text") == "Làm giấy khai sinh"
