"""Where to apply: the record's receiving agencies mapped to Huế's offices (knowledge/data/offices.yml), and
action_ward_office: a ward's service point; the name always, other details only when known."""
import pytest
from rasa_sdk.events import SlotSet

from actions.offices import ActionWardOffice, agencies_of, receiving_places
from knowledge.models import Procedure

CENTRE = "Trung tâm Phục vụ hành chính công thành phố Huế"


def where(receiving_agency, name="Thủ tục", level="city", agency="", levels=("Cấp tỉnh",)):
    procedure = Procedure(code="x", name=name, level=level, agency=agency, receiving_agency=receiving_agency,
                          levels_published=list(levels))  # fmt: skip
    receiving = receiving_places(procedure)
    return [(p.kind, p.name) for p in receiving.places], receiving.outside


def test_agencies_are_split_where_a_new_one_starts():
    assert agencies_of("Công an cấp Xã, Công an tỉnh, Cục cảnh sát giao thông") == [
        "Công an cấp Xã", "Công an tỉnh", "Cục cảnh sát giao thông"]  # fmt: skip
    assert agencies_of("Sở Văn hóa, Thể thao và Du lịch, Sở Văn hóa và Thể thao Thành phố Hà Nội") == [
        "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa và Thể thao Thành phố Hà Nội"]  # fmt: skip
    assert agencies_of("Ủy ban Nhân dân\xa0xã,\xa0phường,\xa0thị trấn.") == ["Ủy ban Nhân dân xã, phường, thị trấn"]
    assert agencies_of("Cục cảnh sát quản lý hành chính về trật tự, xã hội") == [
        "Cục cảnh sát quản lý hành chính về trật tự, xã hội"]  # fmt: skip


@pytest.mark.parametrize(
    "receiving, name, places",
    [
        # đổi GPLX: the commune police receive it (where they have a desk), and the city's traffic police
        ("Công an cấp Xã, Công an tỉnh, Cục cảnh sát giao thông", "Đổi giấy phép lái xe",
         [("ward_police", ""), ("city", "Phòng Cảnh sát giao thông, Công an thành phố Huế")]),
        # passports: the provincial police's immigration office, not the city centre nor the Cục
        ("Công an cấp Tỉnh", "Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)",
         [("city", "Phòng Quản lý xuất nhập cảnh, Công an thành phố Huế")]),
        # căn cước: the commune police (the same procedure is published for them), even for the central record
        ("Phòng cảnh sát quản lý hành chính về trật tự xã hội", "Cấp đổi thẻ căn cước (thực hiện tại cấp tỉnh)",
         [("ward_police", ""),
          ("city", "Phòng Cảnh sát quản lý hành chính về trật tự xã hội, Công an thành phố Huế")]),
        ("Cục cảnh sát quản lý hành chính về trật tự, xã hội", "Cấp lại thẻ căn cước (thực hiện tại cấp trung ương)",
         [("ward_police", "")]),
        ("Công an cấp Xã", "Đăng ký thường trú", [("ward_police", "")]),
        ("Công an tỉnh", "Cấp Phiếu Lý lịch tư pháp", [("city", "Công an thành phố Huế")]),
        ("Ủy ban Nhân dân xã, phường, thị trấn.", "Thủ tục đăng ký kết hôn", [("ward", "")]),
        ("Chủ tịch UBND cấp xã", "Thủ tục", [("ward", "")]),
        ("Sở Tư pháp", "Thủ tục", [("city", CENTRE)]),
        ("Ủy ban nhân dân cấp tỉnh", "Thủ tục", [("city", CENTRE)]),
        ("Chi nhánh Văn phòng đăng ký đất đai, Văn phòng đăng ký đất đai", "Cấp lại Giấy chứng nhận do bị mất",
         [("city", "Chi nhánh Văn phòng đăng ký đất đai (thành phố Huế)")]),
    ],
)
def test_each_agency_goes_to_the_office_in_hue_that_receives_the_file(receiving, name, places):
    assert where(receiving, name) == (places, False)


@pytest.mark.parametrize(
    "receiving",
    ["Cục cảnh sát giao thông", "Cục quản lý xuất nhập cảnh", "Bộ Giáo dục và Đào tạo",
     "Sở Ngoại vụ Thành phố Hồ Chí Minh - Bộ Ngoại giao, Cục Lãnh sự - Bộ Ngoại giao"],
)
def test_the_city_does_not_handle_it_only_when_every_agency_is_ministry_level_or_elsewhere(receiving):
    assert where(receiving, level="ministry") == ([], True)


def test_an_agency_the_table_does_not_know_is_neither_placed_nor_said_to_be_outside():
    assert where("Bảo hiểm xã hội tỉnh, Bảo hiểm xã hội cấp huyện") == ([], False)
    assert where("Tập đoàn Điện lực Việt Nam", level="ministry") == ([], False)
    assert where("Cục Thuế - Bộ tài chính, Thuế tỉnh, thành phố, Thuế cơ sở") == ([], False)


def test_without_a_receiving_agency_the_level_says_where():
    assert where("", level="ward", levels=("Cấp xã",)) == ([("ward", "")], False)
    assert where("", level="city") == ([("city", CENTRE)], False)
    assert where("", level="ministry", agency="Cục cảnh sát giao thông") == ([], True)


async def test_ward_without_known_address_gets_its_name_and_no_address_line(act):
    events, messages = await act(ActionWardOffice(), "ward_office_unknown_address")

    assert events == [SlotSet("ward", "Phường Thuận An")]
    assert [m["response"] for m in messages] == ["utter_ward_office_no_details"]
    answer = messages[0]
    assert answer["ward_name"] == "Phường Thuận An"
    assert answer["office_name"] == "Ủy ban nhân dân Phường Thuận An"
    assert "office_details" not in answer and "address" not in answer
    assert answer["city_hotline"] == "1022"


async def test_ward_with_known_office_lists_address_hours_and_phone(act):
    events, messages = await act(ActionWardOffice(), "ward_office_known_address")

    assert events == [SlotSet("ward", "Phường Thuận Hóa")]
    assert [m["response"] for m in messages] == ["utter_ward_office"]
    assert messages[0]["office_details"].splitlines() == [
        "Địa chỉ: Số 1 Đường Thử, phường Thuận Hóa (dữ liệu thử)",
        "Giờ làm việc: Thứ Hai đến Thứ Sáu (dữ liệu thử)",
        "Điện thoại: 0234 000 000",
    ]


async def test_ward_office_in_english_uses_english_labels(act):
    _, messages = await act(ActionWardOffice(), "ward_office_known_address", language="en")

    assert messages[0]["office_details"].splitlines()[0] == "Address: Số 1 Đường Thử, phường Thuận Hóa (dữ liệu thử)"


async def test_ward_outside_hue_is_not_guessed(act):
    events, messages = await act(ActionWardOffice(), "ward_office_not_in_hue")

    assert events == [SlotSet("ward", None)]
    assert [m["response"] for m in messages] == ["utter_ward_unknown"]
    assert messages[0]["ward_text"] == "phường Bến Nghé"


async def test_no_ward_named_asks_for_it(act):
    events, messages = await act(ActionWardOffice(), "ward_office_no_ward")

    assert events == []
    assert [m["response"] for m in messages] == ["utter_ask_ward"]
