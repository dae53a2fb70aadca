"""Fees and times as the answers give them (actions/formatting.py), on channels built here; today is fixed."""
import datetime as dt

from actions import formatting as fmt
from knowledge.models import Channel, Procedure

TODAY = dt.date(2026, 7, 1)


def fee(amount, description="", per="", exempt="", valid_from=None, valid_until=None):
    return {"amount": amount, "unit": "VND" if amount else "", "per": per, "description": description,
            "exempt": exempt, "valid_from": valid_from, "valid_until": valid_until}  # fmt: skip


def channel(kind="in_person", fees=(), fee_amount=None, fee_text="", **time) -> Channel:
    time = {"time_unit": "", "time_text": "", "time_source": "", **time}
    return Channel(kind=kind, fees=list(fees), fee_amount=fee_amount, fee_text=fee_text, **time)


# ---------------------------------------------------------------- fees
def test_free_only_when_every_fee_in_force_is_zero():
    assert fmt.fee_of(channel(fees=[fee(0)], fee_amount=0), "vi", TODAY) == "Miễn phí"
    assert fmt.fee_of(channel(fees=[fee(0)], fee_amount=0), "en", TODAY) == "Free"


def test_a_zero_cell_whose_note_names_a_fee_is_not_free():
    # đổi GPLX as the portal publishes it: 0 in the cell, the fee in the note (the importer leaves it None)
    note = "- Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần."
    text = fmt.fee_of(channel(fees=[fee(None, note)], fee_amount=None), "vi", TODAY)
    assert text == "“Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.”"
    assert not text.startswith("Miễn phí")


def test_amount_with_what_it_is_per_and_the_exemptions_once_for_all_channels():
    charged = fee(15000, "Đăng ký tạm trú: thu 15.000 đồng/lần đăng ký;", per="lần đăng ký")
    exemption = fee(None, "Miễn phí Đồng - Trường hợp công dân thuộc diện được miễn phí theo Điều 4",
                    exempt="Miễn phí Đồng - Trường hợp công dân thuộc diện được miễn phí theo Điều 4")
    channels = [channel("online", [charged, exemption]), channel("in_person", [charged, exemption])]

    text = fmt.fees_text(channels, "vi", TODAY)

    assert text == (
        "• Trực tuyến, Trực tiếp: 15.000 đồng/lần đăng ký\n"
        "Miễn: Trường hợp công dân thuộc diện được miễn phí theo Điều 4"
    )


def test_several_amounts_each_keep_the_words_that_say_when():
    fees = [fee(7000, "- Cá nhân, hộ gia đình: thu 7.000 đồng/lần đăng ký.", per="lần đăng ký"),
            fee(5000, "- Theo danh sách: thu 5.000 đồng/người/lần đăng ký.", per="người")]  # fmt: skip
    text = fmt.fee_of(channel("online", fees), "vi", TODAY)

    assert text == (
        "7.000 đồng/lần đăng ký (“Cá nhân, hộ gia đình: thu 7.000 đồng/lần đăng ký.”); "
        "5.000 đồng/người (“Theo danh sách: thu 5.000 đồng/người/lần đăng ký.”)"
    )


def test_a_note_naming_another_amount_is_quoted_beside_the_amount():
    note = "200.000đ/ hộ chiếu. Trường hợp cấp lại do bị hỏng hoặc bị mất: 400.000đ/hộ chiếu."
    text = fmt.fee_of(channel(fees=[fee(200000, note, per="hộ chiếu")], fee_amount=200000), "vi", TODAY)
    assert text.startswith("200.000 đồng/hộ chiếu (“200.000đ/ hộ chiếu.")
    assert "400.000đ/hộ chiếu" in text


def test_an_amount_whose_validity_ended_is_never_given_as_current():
    ended = fee(160000, "160.000/hộ chiếu (áp dụng đến hết ngày 31/12/2023)", per="hộ chiếu", valid_until="2023-12-31")
    text = fmt.fee_of(channel("online", [ended]), "vi", TODAY)

    assert text == (
        "mức 160.000 đồng/hộ chiếu ghi trong hồ sơ chỉ áp dụng đến hết 31/12/2023; "
        "mức hiện hành xem trên trang chính thức"
    )
    # the day it still applies, it is the amount, with its end date
    assert fmt.fee_of(channel("online", [ended]), "vi", dt.date(2023, 12, 31)) == (
        "160.000 đồng/hộ chiếu (đến hết 31/12/2023)"
    )


def test_an_ended_amount_is_left_out_when_another_is_in_force():
    ended = fee(115000, "trực tuyến đến hết ngày 31/12/2025: 115.000 đồng/lần", per="lần", valid_until="2025-12-31")
    current = fee(135000, "Lệ phí: 135.000 đồng/lần", per="lần")
    text = fmt.fee_of(channel("online", [ended, current]), "vi", TODAY)
    assert text == "135.000 đồng/lần"


def test_a_fee_not_in_force_yet_is_not_current():
    later = fee(50000, "Từ ngày 01/01/2027: 50.000 đồng", valid_from="2027-01-01")
    assert fmt.fee_of(channel(fees=[later]), "vi", TODAY) == "chưa có thông tin"


def test_an_amount_set_by_a_legal_text_names_it_when_the_note_is_long():
    note = ("Mức thu lệ phí thực hiện theo quy định tại Nghị quyết số 25/2025/NQ-HĐND ngày 10/7/2025 của Hội đồng "
            "nhân dân thành phố quy định mức thu, miễn, giảm, chế độ thu, nộp, quản lý và sử dụng các khoản phí.")
    assert fmt.fee_of(channel(fees=[fee(None, note)]), "vi", TODAY) == "mức thu theo Nghị quyết số 25/2025/NQ-HĐND"
    short = "Theo quy định của Luật phí và lệ phí."
    assert fmt.fee_of(channel(fees=[fee(None, short)]), "vi", TODAY) == "“Theo quy định của Luật phí và lệ phí.”"


def test_records_without_structured_fees_quote_their_cell_unless_it_is_plain_free():
    assert fmt.fee_of(channel(fee_amount=0, fee_text="Miễn phí"), "vi", TODAY) == "Miễn phí"
    assert fmt.fee_of(channel(fee_amount=160000), "vi", TODAY) == "160.000 đồng"
    assert fmt.fee_of(channel(fee_amount=160000), "en", TODAY) == "160,000 VND"
    cell = "Miễn phí (Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định.)"
    assert fmt.fee_of(channel(fee_amount=0, fee_text=cell), "vi", TODAY) == f"“{cell}”"
    assert fmt.fee_of(channel(), "vi", TODAY) == "chưa có thông tin"


# ---------------------------------------------------------------- times
def test_time_with_its_unit():
    assert fmt.time_of(channel(time_value=7.0, time_unit="Ngày làm việc"), "vi") == "7 Ngày làm việc"
    assert fmt.time_of(channel(time_value=7.0, time_unit="Ngày làm việc"), "en") == "7 working days"


def test_a_time_read_from_the_records_sentence_quotes_it():
    sentence = "nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo"
    assert fmt.time_of(channel(time_source=sentence), "vi") == f"Theo hồ sơ: “{sentence}”"
    with_value = fmt.time_of(channel(time_value=3, time_unit="Ngày làm việc", time_source="Trong 03 ngày làm việc"), "vi")
    assert with_value == "3 Ngày làm việc (theo hồ sơ: “Trong 03 ngày làm việc”)"


def test_a_number_without_unit_or_sentence_is_never_shown_as_a_time():
    text = fmt.time_of(channel(time_value=1.0, time_text="1"), "vi")
    assert text == "hồ sơ không ghi đơn vị thời gian (xem trang chính thức)"
    assert fmt.time_of(channel(), "vi") == "chưa có thông tin"


def test_a_portal_records_method_note_is_not_taken_for_a_time():
    procedure = Procedure(code="x", name="x", source="portal")
    note = Channel(kind="online", time_text="- Nộp hồ sơ trực tuyến qua Cổng dịch vụ công", time_unit="",
                   time_source="", procedure=procedure)  # fmt: skip
    assert fmt.time_of(note, "vi") == "chưa có thông tin"
    national = Channel(kind="online", time_text="Trong ngày", time_unit="", time_source="",
                       procedure=Procedure(code="y", name="y", source="national"))  # fmt: skip
    assert fmt.time_of(national, "vi") == "“Trong ngày”"
