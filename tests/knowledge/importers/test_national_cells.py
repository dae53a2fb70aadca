"""Cell parsers of the national portal format, on small inline strings (no ../shared needed)."""
from knowledge.importers.national_cells import CHANNEL_HEADER, LEGAL_HEADER, parse_channels, parse_legal_basis


def test_free_channels_with_bare_time():
    channels, problems = parse_channels(
        CHANNEL_HEADER + "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí"
    )
    assert [c["kind"] for c in channels] == ["online", "post", "in_person"]
    assert all(c["fee_amount"] == 0 and c["fee_text"] == "Miễn phí" for c in channels)
    assert all(c["time_value"] == 1 and c["time_unit"] == "" for c in channels)
    assert {p[1] for p in problems} == {f"{k}: time has no unit" for k in ("Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính")}


def test_fee_in_vnd_with_time_unit_and_description():
    channels, problems = parse_channels(
        CHANNEL_HEADER + "Trực tiếp7 Ngày làm việc10,000 Việt Nam Đồng(Lệ phí : 10.000 Đồng)Nộp tại bộ phận một cửa."
    )
    (channel,) = channels
    assert channel["time_value"] == 7 and channel["time_unit"] == "Ngày làm việc"
    assert channel["time_text"] == "7 Ngày làm việc"
    assert channel["fee_amount"] == 10000 and channel["fee_unit"] == "Việt Nam Đồng"
    assert channel["fee_text"] == "10,000 Việt Nam Đồng (Lệ phí : 10.000 Đồng)"
    assert channel["note"] == "Nộp tại bộ phận một cửa."
    assert problems == []


def test_no_information_means_unknown_not_free():
    channels, _ = parse_channels(CHANNEL_HEADER + "Dịch vụ bưu chính60 Ngày làm việcKhông có thông tinThời hạn 30 ngày.")
    assert channels[0]["fee_amount"] is None and channels[0]["fee_text"] == ""
    assert channels[0]["note"] == "Thời hạn 30 ngày."


def test_free_headline_with_fee_schedule_is_not_reported_as_free():
    channels, problems = parse_channels(
        CHANNEL_HEADER + "Trực tiếp5 Ngày làm việcMiễn phí(Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.)"
    )
    assert channels[0]["fee_amount"] is None
    assert "135.000 đồng" in channels[0]["fee_text"]
    assert "names fees" in problems[0][1]


def test_usd_fee_and_textual_time():
    channels, problems = parse_channels(
        CHANNEL_HEADER + "Trực tuyếnKhông quy địnhMiễn phíQua Cổng DVCTrực tiếp5 Ngày làm việc145 USD(145 USD/thẻ.)"
    )
    assert channels[0]["time_text"] == "Không quy định" and channels[0]["time_value"] is None
    assert channels[0]["note"] == "Qua Cổng DVC"
    assert channels[1]["fee_amount"] is None and channels[1]["fee_unit"] == "USD"
    assert ("channels", "Trực tiếp: fee in USD, not VND") in problems


def test_channel_word_inside_a_description_does_not_start_a_row():
    channels, _ = parse_channels(
        CHANNEL_HEADER + "Trực tiếp3 Ngày làm việcKhông có thông tinTrực tiếp, qua mạng hoặc bưu chính công ích."
    )
    assert len(channels) == 1
    assert channels[0]["note"] == "Trực tiếp, qua mạng hoặc bưu chính công ích."


def test_implausible_amount_is_left_unknown():
    channels, problems = parse_channels(CHANNEL_HEADER + "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)")
    assert channels[0]["fee_amount"] is None
    assert channels[0]["fee_text"] == "20 VNĐ (20.000 vnđ /tờ khai)"
    assert any("implausible" in reason for _, reason in problems)


def test_empty_channel_cell_is_a_problem():
    assert parse_channels("Không có thông tin") == ([], [("channels", "no submission channels published")])


def test_legal_basis_rows_split_where_number_meets_next_title():
    rows, problems = parse_legal_basis(
        LEGAL_HEADER
        + "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết Luật Hộ tịch123/2015/NĐ-CP"
        + "Thông tư số 08/2025/TT-BTP ngày 12/6/2025 của Bộ trưởng Bộ Tư pháp08/2025/TT-BTP"
        + "Nghị quyết số 66.7/2025/NQ-CP của Chính phủ66.7/2025/NQ-CPLuật 60/2014/QH1360/2014/QH13"
        + "Quyết định 104/1999/QĐ-TTg104/1999/QĐ-TTgLuật Cư trú 202068/2020/QH14"
    )
    assert [r["number"] for r in rows] == [
        "123/2015/NĐ-CP", "08/2025/TT-BTP", "66.7/2025/NQ-CP", "60/2014/QH13", "104/1999/QĐ-TTg", "68/2020/QH14",
    ]
    assert rows[0]["title"].startswith("Nghị định số 123/2015/NĐ-CP ngày 15/11/2015")
    assert rows[3]["title"] == "Luật 60/2014/QH13"
    assert rows[5]["title"] == "Luật Cư trú 2020"
    assert problems == []


def test_legal_basis_title_glued_to_prefixed_number_cell():
    rows, _ = parse_legal_basis(LEGAL_HEADER + "Quy định về thanh toán không dùng tiền mặtNghị định 52/2024/NĐ-CP")
    assert rows == [{"title": "Quy định về thanh toán không dùng tiền mặt", "number": "52/2024/NĐ-CP"}]


def test_legal_basis_without_number_is_reported():
    rows, problems = parse_legal_basis(LEGAL_HEADER + "Luật Hóa chất")
    assert rows == [] and problems == [("legal_basis", "text without a document number: 'Luật Hóa chất'")]
    assert parse_legal_basis("Không có thông tin") == ([], [])
