import datetime as dt

import pytest

from knowledge.records import canonical_record, validate_record


def test_fixture_records_are_valid(records):
    assert [validate_record(r) for r in records] == [[], [], []]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"code": ""}, "code: required"),
        ({"code": 1.00119}, "code: must be text"),
        ({"name": "  "}, "name: required"),
        ({"level": "province"}, "level: must be one of ward, city, ministry, other"),
        ({"aliases": "khai sinh"}, "aliases: must be a list of texts"),
        ({"full_online": "yes"}, "full_online: must be true or false"),
        ({"verified_on": "28/11/2026"}, "verified_on: must be a date YYYY-MM-DD"),
        ({"colour": "red"}, "unknown fields: colour"),
        ({"channels": [{"kind": "fax"}]}, "channels[1].kind: must be one of online, in_person, post"),
        ({"channels": [{"kind": "online", "fee_amount": -5}]}, "channels[1].fee_amount: must be a whole number"),
        ({"channels": [{"kind": "online", "fee_amount": "10.000"}]}, "channels[1].fee_amount"),
        ({"documents": [{"name": "Tờ khai", "kind": "email"}]}, "documents[1].kind: must be one of submit, present"),
        ({"documents": [{"form": "Mẫu 01"}]}, "documents[1].name: required"),
        ({"documents": [{"name": "Tờ khai", "quantity": 1.5}]}, "documents[1].quantity"),
        ({"legal_basis": ["Luật Hộ tịch"]}, "legal_basis[1]: must be a mapping"),
    ],
)
def test_invalid_records_are_explained(record, change, message):
    record.update(change)
    errors = validate_record(record)
    assert any(message in e for e in errors), errors


def test_not_a_mapping():
    assert validate_record(["code"]) == ["a procedure record must be a mapping"]


def test_canonical_record_fills_defaults_and_unifies_spelling():
    canonical = canonical_record(
        {
            "code": 1,
            "name": " Đổi giấy phép lái xe ",
            "level": "ministry",
            "aliases": ["đổi bằng lái", "đổi bằng lái", " "],
            "channels": [{"kind": "online", "time_value": 5.0}],
            "verified_on": dt.date(2026, 11, 28),
        }
    )
    assert canonical["code"] == "1" and canonical["name"] == "Đổi giấy phép lái xe"
    assert canonical["aliases"] == ["đổi bằng lái"]
    assert canonical["channels"][0]["time_value"] == 5 and canonical["channels"][0]["fee_amount"] is None
    assert canonical["verified_on"] == "2026-11-28"
    assert canonical["documents"] == [] and canonical["full_online"] is False and canonical["agency"] == ""
    assert "edited_fields" not in canonical
