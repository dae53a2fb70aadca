import sqlalchemy as sa

from knowledge import repository
from knowledge.models import Office, Ward
from knowledge.wards import hue_wards, sync_wards


def test_hue_has_40_wards_and_communes():
    wards = hue_wards()
    assert len(wards) == 40
    assert {w.division_type for w in wards} == {"phường", "xã"}
    assert "Phường Thuận An" in {w.name for w in wards}


def test_sync_stores_wards_offices_and_old_names(wards_loaded):
    with wards_loaded() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(Ward)).scalar_one() == 40
        thuan_hoa = repository.find_ward(session, "Phú Hội")
        assert thuan_hoa.name == "Phường Thuận Hóa" and "Phường Phú Hội" in thuan_hoa.old_names
        assert repository.find_ward(session, "thuan an").name == "Phường Thuận An"
        assert repository.find_ward(session, "Xã A Lưới 2").name == "Xã A Lưới 2"
        assert repository.find_ward(session, "chan may lang co").name == "Xã Chân Mây – Lăng Cô"
        office = repository.get_office(session, thuan_hoa.code)
        assert office.name == "Trung tâm Phục vụ hành chính công phường Thuận Hóa"
        assert (office.address, office.hours, office.phone) == ("", "", "")  # unknown: empty, never guessed
        city = repository.get_office(session, None)
        assert city.name == "Trung tâm Phục vụ hành chính công thành phố Huế"
        assert session.execute(sa.select(sa.func.count()).select_from(Office)).scalar_one() == 41


def test_sync_is_idempotent_and_keeps_staff_entries(wards_loaded):
    with wards_loaded() as session, session.begin():
        office = repository.get_office(session, 19900)
        office.phone = "0234 000 000 (staff)"
    with wards_loaded() as session, session.begin():
        counts = sync_wards(session)
    assert counts == {"wards_created": 0, "wards_updated": 0, "offices_created": 0, "offices_updated": 0}
    with wards_loaded() as session:
        assert repository.get_office(session, 19900).phone == "0234 000 000 (staff)"
        assert session.execute(sa.select(sa.func.count()).select_from(Office)).scalar_one() == 41
