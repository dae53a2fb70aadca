"""Importing catalogue files of either format: idempotent, staff edits kept, the structured record wins."""
import json

from knowledge import repository
from knowledge.importers.catalogue import import_file, import_files, read_usage


def _portal(code="1.009999", fee=20000):
    return {"id": "x-" + code, "code": code, "name": "Đăng ký thử nghiệm", "detail": {
        "isWard": True, "departmentPromulgateName": "Bộ Tư pháp", "executingAgencies": "UBND cấp xã",
        "executionMethods": [{"submissionMethod": "DIRECT", "processingTime": 3, "processingTimeUnit": "WORKING_DAY",
                              "description": "", "fees": [{"value": fee, "description": f"{fee:,} đồng/lần".replace(",", ".")}]}],
        "executionCases": [{"name": "", "profileComponents": [{"name": "Tờ khai (Mẫu 01)", "originalQty": 1}]}]}}


def _national(code="1.009999"):
    return {"ma_thu_tuc": code, "ten_thu_tuc": "Đăng ký thử nghiệm (bản chữ)", "cap_thuc_hien": "Cấp xã",
            "detail_url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1"}


def _write(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return path


def test_a_second_import_changes_nothing_and_staff_edits_are_kept(tmp_path, session_factory):
    path = _write(tmp_path / "portal.jsonl", [_portal(), {**_portal("1.009998"), "detail": {
        **_portal("1.009998")["detail"], "departmentPromulgateName": "UBND tỉnh Lào Cai"}}])
    first = import_file(session_factory, path, usage={"1.009999": 1234})
    assert (first.created, first.skipped["local procedure of UBND tỉnh Lào Cai: does not apply in Huế"]) == (1, 1)
    assert "skipped 1: local procedure of UBND tỉnh Lào Cai" in first.format()
    assert import_file(session_factory, path).unchanged == 1
    with session_factory() as session, session.begin():
        repository.upsert_procedure(session, {"code": "1.009999", "name": "Đăng ký thử nghiệm", "level": "ward",
                                              "aliases": ["thử nghiệm"], "field": "Do cán bộ sửa"},
                                    actor="clerk", mark_edited=True)
    _write(path, [_portal(fee=30000)])
    again = import_file(session_factory, path)
    with session_factory() as session:
        procedure = repository.get_procedure(session, "1.009999")
        assert procedure.field == "Do cán bộ sửa" and procedure.aliases == ["thử nghiệm"]
        assert procedure.channels[0].fee_amount == 30000 and procedure.usage == 1234
    assert again.updated == 1


def test_the_structured_record_wins_over_the_text_cells_whatever_the_order(tmp_path, session_factory):
    portal = _write(tmp_path / "portal.jsonl", [_portal()])
    national = _write(tmp_path / "national.jsonl", [_national()])
    reports = import_files(session_factory, [portal, national])
    assert [r.source for r in reports] == [str(national), str(portal)]  # text cells first
    import_file(session_factory, national)  # and a later text-cell import does not replace it
    with session_factory() as session:
        procedure = repository.get_procedure(session, "1.009999")
        assert procedure.source == "portal" and procedure.name == "Đăng ký thử nghiệm"


def test_usage_counts_add_up_per_code(tmp_path):
    path = tmp_path / "usage.csv"
    path.write_text("code,name,audience,weight\n1.1,a,citizen,10\n1.1,a,business,5\n2.2,b,citizen,x\n")
    assert read_usage(path) == {"1.1": 15}
    assert read_usage(tmp_path / "absent.csv") == {}
