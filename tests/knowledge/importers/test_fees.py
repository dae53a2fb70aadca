import datetime as dt

from knowledge.importers.fees import amounts_in, parse_fee, parse_fees

TODAY = dt.date(2026, 11, 30)


def test_zero_with_an_amount_in_its_note_is_flagged_and_never_free():
    fees, amount, flags = parse_fees(
        [{"value": 0, "description": "Miễn phí (- Lệ phí cấp đổi giấy phép lái xe: 135.000 đồng/lần)"}], TODAY)
    assert amount is None and fees[0]["amount"] is None
    assert any("135.000" in flag for flag in flags)


def test_free_only_when_the_cell_and_its_note_say_nothing_else():
    assert parse_fees([{"value": 0, "description": ""}], TODAY)[1] == 0
    assert parse_fees([{"value": 0, "description": "Miễn phí"}], TODAY)[1] == 0
    set_by_rule = parse_fees([{"value": 0, "description": "Thực hiện theo Thông tư số 244/2016/TT-BTC"}], TODAY)
    assert set_by_rule[1] is None and set_by_rule[2] == []


def test_an_amount_whose_validity_ended_is_not_current():
    note = "160.000/hộ chiếu (áp dụng đến hết ngày 31/12/2023 theo Thông tư số 44/2023/TT-BTC)"
    fees, amount, flags = parse_fees([{"value": 160000, "description": note}], TODAY)
    assert fees[0]["valid_until"] == "2023-12-31" and fees[0]["per"] == "hộ chiếu"
    assert amount is None and flags
    assert parse_fees([{"value": 160000, "description": note}], dt.date(2023, 6, 1))[1] == 160000


def test_an_unbelievable_amount_is_flagged_not_printed():
    fee, flags = parse_fee({"value": 100, "description": "100 VNĐ"})
    assert fee["amount"] is None and flags


def test_exemptions_and_per_unit_are_read_from_the_note():
    fee, _ = parse_fee({"value": 20000, "description": "20.000 đồng/lần đăng ký. Miễn lệ phí đối với trẻ em dưới 16 tuổi"})
    assert fee["amount"] == 20000 and fee["per"].startswith("lần")
    assert "trẻ em" in fee["exempt"]


def test_an_exemption_item_does_not_hide_the_amounts():
    items = [{"value": 15000, "description": "15.000 đồng/lần đăng ký"},
             {"value": 0, "description": "Miễn phí - Trường hợp công dân thuộc diện được miễn phí"}]
    assert parse_fees(items, TODAY)[1] == 15000


def test_amounts_in_ignores_dates_and_numbers_of_texts():
    assert amounts_in("Thông tư số 85/2019/TT-BTC ngày 29/11/2019: 50.000 đồng") == [50000]


def test_dates_belong_to_the_clause_that_states_the_amount():
    note = ("- Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.  - Trường hợp nộp hồ sơ trực tuyến: Kể từ ngày "
            "01/12/2023 đến hết ngày 31/12/2025, áp dụng mức thu lệ phí là 115.000 đồng/lần cấp.")
    fee, flags = parse_fee({"value": 135000, "description": note})
    assert fee["valid_until"] is None and fee["amount"] == 135000 and flags
    reduced = ("- Cấp đổi thẻ căn cước: 50.000 đồng/thẻ căn cước; - Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 "
               "mức thu lệ phí bằng 50% mức thu nêu trên.")
    assert parse_fees([{"value": 50000, "description": reduced}], TODAY)[1] == 50000
