import pytest

from knowledge.text import detect_language, expand_abbreviations, fold, normalise


def test_fold_removes_diacritics_case_and_extra_spaces():
    assert fold("  Thủ Tục  ĐĂNG KÝ khai   sinh ") == "thu tuc dang ky khai sinh"
    assert fold("Đường") == "duong"


def test_fold_and_normalise_treat_decomposed_text_like_composed():
    decomposed = "Thu\u0309 tu\u0323c"  # "Thủ tục" typed with combining marks
    assert normalise(decomposed) == "Thủ tục"
    assert fold(decomposed) == "thu tuc"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("doi gplx", "doi giấy phép lái xe"),
        ("cap lai CCCD", "cap lai căn cước"),
        ("làm sổ đỏ", "cấp giấy chứng nhận quyền sử dụng đất lần đầu"),
        ("cap lai so hong", "cap lai giấy chứng nhận quyền sử dụng đất"),
        ("nhập hộ khẩu", "đăng ký thường trú"),
        ("đkkd hộ kinh doanh", "đăng ký kinh doanh hộ kinh doanh"),
        ("dk ket hon", "đăng ký ket hon"),
        ("ko biết cần j", "không biết cần gì"),
        ("lý lịch tư pháp (lltp)", "lý lịch tư pháp (lý lịch tư pháp)"),
        ("birth certificate", "khai sinh"),
        ("How do I renew my driving licence?", "How do I đổi my giấy phép lái xe?"),
    ],
)
def test_expand_abbreviations(text, expected):
    assert expand_abbreviations(text) == expected


def test_expansion_matches_whole_words_only_and_respects_accents():
    assert expand_abbreviations("số đó") == "số đó"  # "that number", not "sổ đỏ"
    assert expand_abbreviations("gửi e-mail") == "gửi e-mail"  # not the teencode "e"
    assert expand_abbreviations("kho bạc") == "kho bạc"  # "k" only as a word
    assert expand_abbreviations("Xã A Lưới 1") == "Xã A Lưới 1"


def test_english_terms_can_be_left_alone():
    assert expand_abbreviations("passport gplx", include_english=False) == "passport giấy phép lái xe"


@pytest.mark.parametrize(
    "text, language",
    [
        ("Tôi muốn làm giấy khai sinh", "vi"),
        ("toi can lam giay khai sinh", "vi"),
        ("lam the nao de doi gplx", "vi"),
        ("cam on", "vi"),
        ("What documents do I need for a birth certificate?", "en"),
        ("hello", "en"),
        ("thanks", "en"),
        ("how much is the fee", "en"),
        ("ok", None),
        ("asdfgh", None),
        ("12345", None),
        ("", None),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language
