import datetime as dt
import gzip
import json

import pytest

from knowledge.importers.portal import parse_documents, parse_form, parse_record, time_sentence
from knowledge.settings import PORTAL_CATALOGUE

TODAY = dt.date(2026, 11, 30)


def _record(**detail):
    return {"id": "abc", "code": "9.999999", "name": "Thủ tục thử", "detail": {"isWard": True, **detail}}


def test_local_procedures_of_other_provinces_are_skipped_with_the_reason():
    record, _, why = parse_record(_record(departmentPromulgateName="UBND tỉnh Bắc Ninh"))
    assert record is None and "Bắc Ninh" in why
    hue, _, _ = parse_record(_record(departmentPromulgateName="UBND Thành phố Huế"))
    assert hue is not None and hue["official_url"].endswith("/abc")


def test_papers_everyone_brings_come_first_and_cases_are_grouped():
    cases = [
        {"name": "Đăng ký vào chỗ ở thuộc quyền sở hữu của mình", "profileComponents": [
            {"name": "Giấy xác nhận phương tiện trong trường hợp phương tiện không phải đăng ký", "originalQty": 1},
            {"name": "Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "originalQty": 1}]},
        {"name": "Đăng ký vào chỗ ở do thuê, mượn", "profileComponents": [
            {"name": "Hợp đồng cho thuê nhà", "originalQty": 1, "copyQty": 1},
            {"name": "Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "originalQty": 1}]},
        {"name": "* Lưu ý:", "profileComponents": [{"name": "Không yêu cầu giấy khai sinh", "originalQty": 0}]},
    ]
    documents, notes = parse_documents(cases)
    assert documents[0]["name"].startswith("Tờ khai") and documents[0]["case"] == ""
    assert documents[0]["form"] == "Mẫu CT01"
    assert [d["case"] for d in documents[1:]] == ["Đăng ký vào chỗ ở thuộc quyền sở hữu của mình",
                                                 "Đăng ký vào chỗ ở do thuê, mượn"]
    assert documents[2]["quantity"] == 1 and documents[2]["copies"] == 1
    assert notes and not any("Lưu ý" in d["name"] for d in documents)


def test_form_numbers_are_read_without_the_counts_after_them():
    assert parse_form("Tờ khai (Mẫu số 18) 1 bản chính") == "Mẫu 18"
    assert parse_form("Tờ khai yêu cầu (Mẫu số 01/2025/LLTP)") == "Mẫu 01/2025/LLTP"


def test_a_time_without_unit_is_taken_from_the_steps_with_its_sentence():
    record, _, _ = parse_record(_record(
        executionMethods=[{"submissionMethod": "DIRECT", "processingTime": 1, "processingTimeUnit": "OTHER",
                           "description": "", "fees": []}],
        executionSteps=[{"description": "Bước 1: Nộp hồ sơ. Ngay trong ngày tiếp nhận hồ sơ, công chức cấp "
                                        "giấy; nếu nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo."}]),
        today=TODAY)
    channel = record["channels"][0]
    assert channel["time_value"] is None and channel["time_unit"] == ""
    assert "15 giờ" in channel["time_source"]
    assert time_sentence(["không có gì"]) == ""


@pytest.mark.skipif(not PORTAL_CATALOGUE.exists(), reason=f"portal records absent: {PORTAL_CATALOGUE}")
def test_real_records_parse_without_showing_free_where_a_fee_is_named():
    seen = 0
    with gzip.open(PORTAL_CATALOGUE, "rt", encoding="utf-8") as stream:
        for line in stream:
            record, _, _ = parse_record(json.loads(line), today=TODAY)
            if record is None:
                continue
            seen += 1
            for channel in record["channels"]:
                if channel["fee_amount"] == 0:
                    assert all(f["amount"] in (0, None) for f in channel["fees"]), record["code"]
                    assert not any(f["amount"] for f in channel["fees"])
                for fee in channel["fees"]:
                    if fee["valid_until"] and fee["valid_until"] < TODAY.isoformat():
                        assert channel["fee_amount"] != fee["amount"] or fee["amount"] is None, record["code"]
    assert seen > 4000


def test_within_a_case_a_paper_for_a_special_situation_comes_after_the_ordinary_ones():
    cases = [{"name": "Đăng ký vào chỗ ở thuộc quyền sở hữu của mình", "profileComponents": [
        {"name": "Văn bản xác nhận về phương tiện (theo Mẫu số 01) trong trường hợp phương tiện không phải đăng ký",
         "originalQty": 1},
        {"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "originalQty": 1}]}]
    documents, _ = parse_documents(cases)
    assert [d["name"].split()[0] for d in documents] == ["Giấy", "Văn"]
