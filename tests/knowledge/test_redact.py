"""Redaction of phone numbers, ID numbers and e-mail addresses in every form citizens write them (issue 14).

`MESSAGES` crosses each written form with a sentence around it; every one must come out with no raw value left
(compared digit by digit, so "090 5123 456" leaking as "[x] 5123 456" would be caught) and the right placeholder.
"""
from __future__ import annotations

import logging
import re
import unicodedata

import pytest

from knowledge.redact import install_log_redaction, is_phone_number, normalise, redact

PHONE, ID, EMAIL = "[số điện thoại]", "[số giấy tờ]", "[email]"

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def spaced(value: str) -> str:
    return " ".join(value)


# (written form, the digits that must not survive, placeholder). Phone numbers are checked on their last nine
# digits, the part every form (0…, +84…, 84…) shares.
PHONE_FORMS = [
    ("0905123456", "905123456"),
    ("0905 123 456", "905123456"),
    ("0905.123.456", "905123456"),
    ("0905-123-456", "905123456"),
    ("090-512-3456", "905123456"),
    ("0905  123  456", "905123456"),
    ("0905_123_456", "905123456"),
    ("0905/123/456", "905123456"),
    ("(0905) 123 456", "905123456"),
    ("0905 123456", "905123456"),
    ("0905–123–456", "905123456"),  # en dashes
    ("0905\u00a0123\u00a0456", "905123456"),  # no-break spaces
    ("0905\u200b123\u200b456", "905123456"),  # zero-width spaces
    ("0905 . 123 . 456", "905123456"),
    ("+84 905 123 456", "905123456"),
    ("+84905123456", "905123456"),
    ("+84 (0) 905 123 456", "905123456"),
    ("+84(0)905123456", "905123456"),
    ("(+84) 905123456", "905123456"),
    ("84905123456", "905123456"),
    ("84 905 123 456", "905123456"),
    ("0084 905 123 456", "905123456"),
    ("＋８４ ９０５ １２３ ４５６", "905123456"),
    (spaced("0905123456"), "905123456"),
    (spaced("0912345678"), "912345678"),
    ("0912345678".translate(FULL_WIDTH), "912345678"),
    ("0387654321".translate(ARABIC_INDIC), "387654321"),
    ("0387 654 321", "387654321"),
    ("077.345.6789", "773456789"),
    ("0834_567_890", "834567890"),
    ("0234 3822 123", "2343822123"),  # Huế landline
    ("0234.3822.123", "2343822123"),
    ("+84 234 3822 123", "2343822123"),
]
ID_FORMS = [
    ("079123456789", "079123456789"),
    ("079 123 456 789", "079123456789"),
    ("079.123.456.789", "079123456789"),
    ("079-123-456-789", "079123456789"),
    ("079_123_456_789", "079123456789"),
    ("079/123/456/789", "079123456789"),
    ("0791 2345 6789", "079123456789"),
    ("079  123  456  789", "079123456789"),
    (spaced("079123456789"), "079123456789"),
    ("079123456789".translate(FULL_WIDTH), "079123456789"),
    ("046201234567", "046201234567"),
    ("046 201 234 567", "046201234567"),
    ("191234567", "191234567"),
    ("191 234 567", "191234567"),
    ("191.234.567", "191234567"),
    ("123 456 789", "123456789"),
    ("123.456.789", "123456789"),
    (spaced("191234567"), "191234567"),
    ("191234567".translate(FULL_WIDTH), "191234567"),
]
GLUED_FORMS = [
    ("CCCD079123456789", "079123456789", ID),
    ("cccd:079123456789", "079123456789", ID),
    ("CMND191234567", "191234567", ID),
    ("sdt0905123456", "905123456", PHONE),
    ("SĐT:0905123456", "905123456", PHONE),
    ("sđt0905.123.456", "905123456", PHONE),
    ("0905123456nhé", "905123456", PHONE),
    ("zalo0912345678", "912345678", PHONE),
]
EMAIL_FORMS = [
    "an.nguyen@example.com",
    "AN.NGUYEN@EXAMPLE.COM",
    "an.nguyen @ example.com",
    "an.nguyen@ example.com",
    "an.nguyen＠example.com",
    "an.nguyen[at]example.com",
    "an.nguyen [at] example [dot] com",
    "an.nguyen(at)example(dot)com",
    "an.nguyen{at}example.com",
    "an.nguyen at example dot com",
    "an.nguyen a còng example chấm com",
    "an.nguyen (a còng) example.com",
    "an.nguyen@example.com.vn",
    "an_nguyen+hue@mail.example.vn",
]
SENTENCES = [
    "số của tôi là {} nhé",
    "{} là số em, gọi giúp",
    "làm lại CCCD, số cũ {} bị mất",
    "cho hỏi hồ sơ của {} đến đâu rồi?",
    "My contact: {}. Thanks!",
    "({})",
    "lam giay khai sinh, lien he {}",
]


def _messages() -> list[tuple[str, str, str]]:
    """(message, raw digits or e-mail, placeholder) for every form, each in a few sentences."""
    cases = []
    forms = (
        [(written, raw, PHONE) for written, raw in PHONE_FORMS]
        + [(written, raw, ID) for written, raw in ID_FORMS]
        + GLUED_FORMS
        + [(written, "an.nguyen", EMAIL) for written in EMAIL_FORMS]
    )
    for number, (written, raw, placeholder) in enumerate(forms):
        for sentence in (SENTENCES[number % len(SENTENCES)], SENTENCES[(number + 3) % len(SENTENCES)]):
            cases.append((sentence.format(written), raw, placeholder))
    return cases


MESSAGES = _messages()


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9]", "", normalise(text))


def leaks(raw: str, redacted: str) -> bool:
    if "@" in raw or not raw.isdigit():
        folded = unicodedata.normalize("NFKC", redacted).lower()
        return "nguyen" in folded or "example" in folded
    return raw in digits_of(redacted)


def test_there_are_over_a_hundred_messages_in_every_form():
    assert len(MESSAGES) >= 100
    assert {placeholder for _, _, placeholder in MESSAGES} == {PHONE, ID, EMAIL}


@pytest.mark.parametrize("message, raw, placeholder", MESSAGES)
def test_no_raw_value_remains(message, raw, placeholder):
    redacted = redact(message)
    assert not leaks(raw, redacted), redacted
    assert placeholder in redacted, redacted


def test_every_message_at_once_leaves_nothing():
    text = "\n".join(message for message, _, _ in MESSAGES)
    redacted = redact(text)
    assert [raw for _, raw, _ in MESSAGES if leaks(raw, redacted)] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("gọi 0905 123 456 giúp em", f"gọi {PHONE} giúp em"),
        ("gọi (+84) 905123456 giúp em", f"gọi {PHONE} giúp em"),
        ("gọi +84 (0) 905 123 456.", f"gọi {PHONE}."),
        ("CCCD079123456789", f"CCCD {ID}"),
        ("sdt0905123456 nhé", f"sdt {PHONE} nhé"),
        ("cccd:079123456789,sdt:0905123456", f"cccd:{ID},sdt:{PHONE}"),
        ("0905123456 046201234567", f"{PHONE} {ID}"),
        ("sinh năm 1990 0905 123 456", f"sinh năm 1990 {PHONE}"),
        ("0905 123 456 2 bản", f"{PHONE} 2 bản"),
        ("ngày 28/11/2026 0905123456", f"ngày 28/11/2026 {PHONE}"),
        ("(0905 123 456) và (079 123 456 789)", f"({PHONE}) và ({ID})"),
        ("mail an[at]example[dot]com nhé", f"mail {EMAIL} nhé"),
        ("email: a@b.vn.", f"email: {EMAIL}."),
        ("sđt 0912345678, email a@b.vn, CCCD 046201234567", f"sđt {PHONE}, email {EMAIL}, CCCD {ID}"),
    ],
)  # fmt: skip
def test_the_text_around_stays_readable(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "lệ phí 10.000 đồng", "lệ phí 100.000 đồng", "phí 100.000.000 đồng", "phí 100.000.000", "1.500.000đ",
        "từ 2.000.000 - 3.000.000 đồng", "100 000 000 đồng", "phí 100,000,000 VND", "500k",
        "7 ngày", "10 ngày làm việc", "trong 15 ngày", "năm 2025", "sinh năm 2024", "các năm 2024, 2025",
        "Mẫu CT01", "mẫu TK1-TS", "tờ khai mẫu số 01/2025",
        "mã thủ tục 1.001193", "1.001193, 1.000894", "1.001193 - 1.000894", "thủ tục 2.000986",
        "ngày 28/11/2026", "từ 01/01/2025 đến 31/12/2025", "12-03-2020", "12/03/2020 - 15/03/2020", "1.1.2025",
        "gọi 1022 hoặc 18001096", "số 12345678", "cấp cho người dưới 14 tuổi", "2 bản sao", "phòng 203, tầng 2",
        "giờ làm việc 7:30 - 17:00", "Thông tư 04/2020/TT-BTP", "Nghị định 123/2015/NĐ-CP",
        "Quyết định 1234/QĐ-UBND ngày 15/5/2023", "Luật số 60/2014/QH13", "mất 3 - 5 ngày",
        "I am at home.", "gmail.com", "hỏi @UBND", "What documents do I need?",
    ],
)  # fmt: skip
def test_ordinary_numbers_and_words_are_kept(text):
    assert redact(text) == text


def test_normalising_turns_unicode_digits_and_spaces_into_ascii():
    assert normalise("０９０５\u00a0١٢٣") == "0905 123"
    assert normalise("làm giấy khai sinh") == "làm giấy khai sinh"


@pytest.mark.parametrize(
    "digits, phone",
    [
        ("0905123456", True), ("02343822123", True), ("84905123456", True), ("840905123456", True),
        ("0084905123456", True), ("0123456789", False), ("090512345", False), ("18001096", False),
    ],
)  # fmt: skip
def test_phone_number_shapes(digits, phone):
    assert is_phone_number(digits) is phone


def test_empty_text():
    assert redact("") == ""


def test_log_records_are_redacted_whatever_the_logger(caplog):
    original = logging.getLogRecordFactory()
    try:
        install_log_redaction()
        install_log_redaction()  # twice is once
        with caplog.at_level(logging.INFO):
            logging.getLogger("aiohttp.access").info("POST %s from %s", "/api/chat", "sdt0905123456")
            try:
                raise ValueError("CCCD 079 123 456 789")
            except ValueError:
                logging.getLogger("bot").exception("failed for %s", "an.nguyen@example.com")
    finally:
        logging.setLogRecordFactory(original)
    assert caplog.messages == [f"POST /api/chat from sdt {PHONE}", f"failed for {EMAIL}"]
    assert "079 123 456 789" not in caplog.text and ID in caplog.text
