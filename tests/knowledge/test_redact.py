import pytest

from knowledge.redact import redact

PHONE, ID, EMAIL = "[số điện thoại]", "[số giấy tờ]", "[email]"


@pytest.mark.parametrize(
    "text",
    [
        "0905123456", "0905 123 456", "0905.123.456", "090-512-3456", "+84 905 123 456", "+84905123456",
        "(+84) 905123456", "84905123456", "0234 3822 123", "0234.3822.123",
    ],
)  # fmt: skip
def test_phone_numbers_are_replaced(text):
    assert redact(f"gọi {text} giúp em") == f"gọi {PHONE} giúp em"


def test_id_numbers_and_emails_are_replaced():
    assert redact("CCCD của tôi 046201234567") == f"CCCD của tôi {ID}"
    assert redact("cmnd 191234567 bị mất") == f"cmnd {ID} bị mất"
    assert redact("mail nguyen.van.a@gmail.com nhé") == f"mail {EMAIL} nhé"


@pytest.mark.parametrize(
    "text",
    [
        "lệ phí 10.000 đồng", "phí 100.000.000 đồng", "mã thủ tục 1.001193", "sinh năm 2024",
        "gọi 1022 hoặc 18001096", "ngày 28/11/2026", "cấp cho người dưới 14 tuổi", "số 12345678",
        "10 ngày làm việc",
    ],
)  # fmt: skip
def test_ordinary_numbers_are_kept(text):
    assert redact(text) == text


def test_several_items_in_one_message():
    text = "sđt 0912345678, email a@b.vn, CCCD 046201234567"
    assert redact(text) == f"sđt {PHONE}, email {EMAIL}, CCCD {ID}"


def test_empty_text():
    assert redact("") == ""
