import datetime as dt
import json

from knowledge.audit import audit_file, format_audit


def _portal(code, time_unit="WORKING_DAY", fee=None, province="Bộ Tư pháp", steps=""):
    return {"id": code, "code": code, "name": f"Thủ tục {code}", "detail": {
        "isWard": True, "departmentPromulgateName": province, "executingAgencies": "UBND cấp xã",
        "executionMethods": [{"submissionMethod": "DIRECT", "processingTime": 3, "processingTimeUnit": time_unit,
                              "description": "", "fees": [fee or {"value": 0, "description": ""}]}],
        "executionSteps": [{"description": steps}],
        "executionCases": [{"name": "", "profileComponents": [{"name": "Tờ khai", "originalQty": 1}]}],
        "legalBasisesDetails": [{"name": "Luật Hộ tịch", "code": "60/2014/QH13"}]}}


def test_audit_counts_clean_repaired_and_flagged_fields_and_skips(tmp_path):
    path = tmp_path / "records.jsonl"
    records = [
        _portal("1.000001"),
        _portal("1.000002", time_unit="OTHER", steps="Bước 1: nộp. Trả kết quả trong ngày làm việc tiếp theo."),
        _portal("1.000003", fee={"value": 0, "description": "Lệ phí 50.000 đồng/lần"}),
        _portal("1.000004", province="UBND tỉnh Bắc Ninh"),
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    counts, skipped = audit_file(path, today=dt.date(2026, 11, 30))
    assert counts["time"] == {"clean": 2, "repaired": 1}
    assert counts["fee"] == {"clean": 2, "flagged": 1}
    assert skipped == {"local procedure of UBND tỉnh Bắc Ninh": 1}
    table = format_audit(path, counts, skipped)
    assert "| time | 2 | 1 | 0 |" in table and "3 records" in table
