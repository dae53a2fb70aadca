"""National importer: whole records and files, including a sample of the real catalogue in ../shared."""
from __future__ import annotations

import gzip
import json

import pytest
import sqlalchemy as sa

from knowledge.importers.catalogue import import_file
from knowledge.importers.national import iter_records, parse_record, parse_result, parse_steps
from knowledge.models import Procedure
from knowledge.repository import get_procedure, upsert_procedure
from knowledge.records import procedure_to_record
from knowledge.settings import NATIONAL_CATALOGUE

NATIONAL = NATIONAL_CATALOGUE


@pytest.fixture(scope="module")
def national() -> dict[str, dict]:
    if not NATIONAL.is_file():
        pytest.skip(f"../shared/tthc/{NATIONAL.name} absent: real-catalogue tests need the national file")
    return {raw["ma_thu_tuc"]: raw for _, raw, _ in iter_records(NATIONAL) if raw}


def _raw(code: str, **fields) -> dict:
    raw = {
        "ma_thu_tuc": code, "ten_thu_tuc": f"Thủ tục {code}", "cap_thuc_hien": "Cấp tỉnh, Cấp xã",
        "linh_vuc": "Hộ tịch", "co_quan_co_tham_quyen": "", "co_quan_thuc_hien": "Không có thông tin",
        "doi_tuong_thuc_hien": "Công dân Việt Nam", "trinh_tu_thuc_hien": "Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.",
        "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp3 Ngày làm việcMiễn phí",
        "thanh_phan_ho_so": "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chính",
        "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật Hộ tịch60/2014/QH13",
        "yeu_cau_dieu_kien": "Không có thông tin", "ket_qua_xu_ly": "Trích lụcMã: KQ.G15.000031Từ khóaKhông có thông tin",
        "detail_url": f"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{code}", "so_quyet_dinh": "163/QĐ-BTP",
    }
    raw.update(fields)
    return raw


def test_parse_record_builds_the_canonical_record():
    record, problems = parse_record(_raw("9.000001"))
    assert problems == []
    assert record["level"] == "ward" and record["levels_published"] == ["Cấp tỉnh", "Cấp xã"]
    assert record["agency"] == "" and record["conditions"] == "" and record["aliases"] == []
    assert record["steps"] == ["Bước 1: Nộp hồ sơ.", "Bước 2: Nhận kết quả."]
    assert record["result"] == "Trích lục"
    assert record["full_online"] is False  # no online channel
    assert record["official_url"] == record["source_url"] == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/9.000001"
    assert record["decision_number"] == "163/QĐ-BTP"


def test_levels_and_agency_fallback():
    assert parse_record(_raw("9.1", cap_thuc_hien="Cấp bộ, Cấp tỉnh"))[0]["level"] == "city"
    assert parse_record(_raw("9.2", cap_thuc_hien="Cấp bộ"))[0]["level"] == "ministry"
    assert parse_record(_raw("9.3", cap_thuc_hien="Cơ quan khác"))[0]["level"] == "other"
    assert parse_record(_raw("9.4", co_quan_thuc_hien="Sở Tư pháp"))[0]["agency"] == "Sở Tư pháp"


def test_steps_split_on_dashes_and_results_drop_codes():
    assert parse_steps("- Nộp hồ sơ\n(i) nếu đủ thì nhận\n- Nhận kết quả") == ["Nộp hồ sơ\n(i) nếu đủ thì nhận", "Nhận kết quả"]
    assert parse_result("Giấy AMã: KQ.G01.1Giấy BMã: KQ.G01.2Từ khóaKhông có thông tin") == "Giấy A; Giấy B"


def test_iter_records_reports_malformed_lines(tmp_path):
    path = tmp_path / "catalogue.jsonl"
    path.write_text(json.dumps(_raw("9.5")) + "\n{not json\n[1]\n", encoding="utf-8")
    rows = list(iter_records(path))
    assert rows[0][1]["ma_thu_tuc"] == "9.5"
    assert [(n, raw) for n, raw, _ in rows[1:]] == [(2, None), (3, None)]
    assert "malformed JSON" in rows[1][2]


def test_import_file_counts_and_keeps_staff_edits(tmp_path, session_factory):
    path = tmp_path / "catalogue.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps(_raw("9.6")) + "\n" + json.dumps(_raw("9.7")) + "\nnot json\n")
    messages = []
    report = import_file(session_factory, path, progress=messages.append)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.unreadable and messages[-1].startswith("2/2")
    with session_factory() as session, session.begin():
        upsert_procedure(session, {"code": "9.6", "name": "Tên do cán bộ sửa", "level": "ward"}, actor="editor",
                         mark_edited=True)
        upsert_procedure(session, {"code": "9.7", "name": "Thủ tục 9.7", "level": "ward",
                                   "aliases": ["làm trích lục"], "verified_on": "2026-11-28"}, actor="seed")
    again = import_file(session_factory, path)
    assert (again.created, again.unchanged) == (0, 2)  # 9.7's aliases differ but are not the import's
    assert [(c.code, c.field, c.kept) for c in again.conflicts] == [("9.6", "name", "staff")]
    with session_factory() as session:
        assert get_procedure(session, "9.6").name == "Tên do cán bộ sửa"
        curated = get_procedure(session, "9.7")  # the portal has no aliases: curated ones stay
        assert curated.aliases == ["làm trích lục"] and str(curated.verified_on) == "2026-11-28"
    assert "9.6 name: kept staff value" in again.format()


# --- the real catalogue -------------------------------------------------------------------------------


def test_birth_registration_1_001193(national):
    record, _ = parse_record(national["1.001193"])
    assert record["name"] == "Thủ tục đăng ký khai sinh" and record["level"] == "ward"
    assert {c["kind"] for c in record["channels"]} == {"online", "post", "in_person"}
    assert all(c["fee_amount"] == 0 and c["fee_text"] == "Miễn phí" for c in record["channels"])
    assert record["full_online"] is True
    assert any(d["name"].startswith("Giấy chứng sinh") and d["kind"] == "submit" for d in record["documents"])
    assert any(d["kind"] == "present" for d in record["documents"])
    numbers = [b["number"] for b in record["legal_basis"]]
    assert {"60/2014/QH13", "123/2015/NĐ-CP", "66.7/2025/NQ-CP", "08/2025/TT-BTP"} <= set(numbers)
    assert record["result"] == "Giấy khai sinh"


def test_permanent_residence_fees_1_004222(national):
    record, _ = parse_record(national["1.004222"])  # "Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng…"
    online = next(c for c in record["channels"] if c["kind"] == "online")
    in_person = next(c for c in record["channels"] if c["kind"] == "in_person")
    assert (online["time_value"], online["time_unit"]) == (7, "Ngày làm việc")
    assert (online["fee_amount"], online["fee_unit"]) == (10000, "Việt Nam Đồng")
    assert in_person["fee_amount"] == 20000
    assert "68/2020/QH14" in [b["number"] for b in record["legal_basis"]]


def test_ministry_level_complaint_1_000178(national):
    record, _ = parse_record(national["1.000178"])
    assert record["level"] == "ministry" and record["agency"] == "Bộ Công an"
    assert [c["kind"] for c in record["channels"]] == ["post", "in_person"]
    assert all(c["time_value"] == 60 and c["fee_amount"] is None for c in record["channels"])
    assert record["full_online"] is False
    assert len(record["documents"]) == 8
    assert [b["number"] for b in record["legal_basis"]] == ["68/2013/TT-BCA", "02/2011/QH13", "11/2015/TT-BCA", "05/2012/NĐ-CP"]


def test_whole_file_parse_coverage(national):
    records = [parse_record(raw)[0] for raw in national.values()]
    share = lambda test: sum(map(test, records)) / len(records)  # noqa: E731
    # Measured on the 2026-07 file: channels 100 %, documents 98.2 %, legal basis 96.7 %, a known fee 77.6 %.
    assert len(records) == 2642
    assert share(lambda r: bool(r["channels"])) >= 0.99
    assert share(lambda r: bool(r["channels"]) and bool(r["documents"])) >= 0.97
    assert share(lambda r: bool(r["legal_basis"])) >= 0.95
    assert share(lambda r: any(c["fee_amount"] is not None for c in r["channels"])) >= 0.75
    assert share(lambda r: bool(r["steps"]) and bool(r["result"])) >= 0.98


def test_whole_file_imports_quickly(national, session_factory):
    report = import_file(session_factory, NATIONAL)
    assert report.created == 2642 and not report.failed
    assert report.seconds < 60
    with session_factory() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(Procedure)).scalar_one() == 2642
        stored = procedure_to_record(get_procedure(session, "1.001193"))
    assert stored["channels"][0]["fee_amount"] == 0
