import sqlalchemy as sa
import pytest

from knowledge import repository
from knowledge.models import AuditLog, Document, Office, Ward
from knowledge.records import canonical_record


def upsert(session_factory, record, **options):
    with session_factory() as session, session.begin():
        return repository.upsert_procedure(session, record, actor="tester", **options)


def stored(session_factory, code):
    with session_factory() as session:
        procedure = repository.get_procedure(session, code)
        return None if procedure is None else repository.procedure_to_record(procedure)


def audit(session_factory):
    with session_factory() as session:
        return list(session.execute(sa.select(AuditLog).order_by(AuditLog.id)).scalars())


def test_create_then_unchanged_then_updated(session_factory, record):
    assert upsert(session_factory, record) == "created"
    assert upsert(session_factory, record) == "unchanged"
    record["channels"][0]["fee_amount"] = 8000
    result = upsert(session_factory, record)
    assert result == "updated" and result.status == "updated" and result.kept_fields == ()
    assert stored(session_factory, "1.001193")["channels"][0]["fee_amount"] == 8000


def test_record_round_trips_through_the_database(session_factory, record):
    upsert(session_factory, record)
    assert stored(session_factory, "1.001193") == {**canonical_record(record), "edited_fields": []}


def test_documents_and_channels_keep_their_order_and_are_replaced_not_duplicated(session_factory, record):
    upsert(session_factory, record)
    record["documents"].reverse()
    upsert(session_factory, record)
    names = [d["name"] for d in stored(session_factory, "1.001193")["documents"]]
    assert names == ["Giấy tờ tùy thân có ảnh", "Giấy chứng sinh"]
    with session_factory() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(Document)).scalar_one() == 2


def test_audit_log_records_who_and_what(session_factory, record):
    upsert(session_factory, record)
    upsert(session_factory, record)
    upsert(session_factory, {**record, "result": "Bản chính Giấy khai sinh"})
    create, update = audit(session_factory)
    assert (create.actor, create.action, create.target) == ("tester", "procedure.create", "procedure:1.001193")
    assert create.before is None and create.after["name"] == record["name"]
    assert update.action == "procedure.update"
    assert (update.before["result"], update.after["result"]) == ("Giấy khai sinh", "Bản chính Giấy khai sinh")


def test_missing_fields_are_left_as_they_are(session_factory, record):
    upsert(session_factory, record)
    partial = {"code": "1.001193", "name": record["name"], "level": "ward", "aliases": ["giấy khai sinh"]}
    assert upsert(session_factory, partial) == "updated"
    after = stored(session_factory, "1.001193")
    assert after["aliases"] == ["giấy khai sinh"]
    assert after["documents"] == canonical_record(record)["documents"]


def test_staff_edits_survive_a_reimport_unless_overwritten(session_factory, record):
    upsert(session_factory, record)
    staff = {**record, "aliases": ["khai sinh cho bé"]}
    upsert(session_factory, staff, mark_edited=True)
    assert stored(session_factory, "1.001193")["edited_fields"] == ["aliases"]

    national = {**record, "aliases": [], "result": "Giấy khai sinh (bản chính)"}
    result = upsert(session_factory, national)
    assert result == "updated" and result.kept_fields == ("aliases",)
    after = stored(session_factory, "1.001193")
    assert after["aliases"] == ["khai sinh cho bé"] and after["result"] == "Giấy khai sinh (bản chính)"

    result = upsert(session_factory, national, overwrite_edited=True)
    assert result == "updated" and result.kept_fields == ()
    after = stored(session_factory, "1.001193")
    assert after["aliases"] == [] and after["edited_fields"] == []


def test_unchanged_reports_kept_fields_too(session_factory, record):
    upsert(session_factory, {**record, "edited_fields": ["result"]})
    result = upsert(session_factory, {**record, "result": "khác"})
    assert result == "unchanged" and result.kept_fields == ("result",)


def test_invalid_record_is_refused_with_every_error(session_factory, record):
    with pytest.raises(repository.InvalidRecord) as raised:
        upsert(session_factory, {**record, "level": "x", "channels": [{"kind": "fax"}]})
    assert len(raised.value.errors) == 2
    assert stored(session_factory, "1.001193") is None


def test_list_and_index(session_factory, records):
    for record in records:
        upsert(session_factory, record)
    with session_factory() as session:
        assert [p.code for p in repository.list_procedures(session)] == ["1.000894", "1.001193", "3.000347"]
        index = repository.load_index(session)
    assert len(index) == 3
    assert index.search("doi bang lai xe")[0].code == "3.000347"
    assert index.search("làm giấy khai sinh")[0].code == "1.001193"


@pytest.mark.parametrize(
    "text",
    ["Phường Thuận An", "phường thuận an", "thuan an", "P. Thuận An", "p thuan an", "THUẬN AN",
     "văn phòng phường Thuận An ở đâu"],
)  # fmt: skip
def test_find_ward(session_factory, text):
    with session_factory() as session, session.begin():
        session.add_all(
            [
                Ward(code=19900, name="Phường Thuận An", division_type="phường", old_names=[]),
                Ward(code=19786, name="Phường Thuận Hóa", division_type="phường", old_names=["Phường Phú Hội"]),
            ]
        )
    with session_factory() as session:
        assert repository.find_ward(session, text).code == 19900
        assert repository.find_ward(session, "phu hoi").code == 19786
        assert repository.find_ward(session, "Phường Phú Hội").code == 19786
        assert repository.find_ward(session, "Hà Nội") is None
        assert repository.find_ward(session, "") is None


def test_get_office_of_a_ward_or_the_city(session_factory):
    with session_factory() as session, session.begin():
        session.add(Ward(code=19900, name="Phường Thuận An", division_type="phường", old_names=[]))
        session.flush()
        session.add_all([Office(ward_code=19900, name="Ward office"), Office(ward_code=None, name="City office")])
    with session_factory() as session:
        assert repository.get_office(session, 19900).name == "Ward office"
        assert repository.get_office(session, None).name == "City office"
        assert repository.get_office(session, 1) is None
