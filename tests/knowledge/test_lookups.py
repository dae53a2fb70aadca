import yaml

from knowledge.lookups import LOOKUP_DIR, render_lookups, stale_lookups, write_lookups
from knowledge.repository import upsert_procedure


def examples(content: str) -> list[str]:
    document = yaml.safe_load(content)
    assert document["version"] == "3.1"
    [table] = document["nlu"]
    return [line[2:] for line in table["examples"].splitlines()]


def test_tables_list_names_aliases_and_unaccented_forms(wards_loaded, records):
    with wards_loaded() as session, session.begin():
        for record in records:
            upsert_procedure(session, record, actor="test")
    with wards_loaded() as session:
        tables = render_lookups(session)
    procedures = examples(tables[LOOKUP_DIR / "procedures.yml"])
    for expected in ["Thủ tục đăng ký khai sinh", "đăng ký khai sinh", "thu tuc dang ky khai sinh",
                     "làm giấy khai sinh", "lam giay khai sinh", "đổi bằng lái xe", "birth registration"]:  # fmt: skip
        assert expected in procedures
    assert len(procedures) == len(set(procedures))
    wards = examples(tables[LOOKUP_DIR / "wards.yml"])
    for expected in ["Phường Thuận An", "Thuận An", "thuan an", "Phường Phú Hội", "Phú Hội", "phu hoi"]:
        assert expected in wards
    assert "lookup: ward" in tables[LOOKUP_DIR / "wards.yml"]


def test_write_then_nothing_is_stale(wards_loaded, tmp_path):
    with wards_loaded() as session:
        assert len(stale_lookups(session, tmp_path)) == 2
        write_lookups(session, tmp_path)
        assert stale_lookups(session, tmp_path) == []


def test_committed_lookup_tables_match_the_seeded_knowledge_base(session_factory):
    """data/nlu/lookups/ is what `python -m knowledge lookups` writes from the seed: regenerate it when the
    seed changes (make lookups), or the NLU model trains on stale names."""
    from knowledge.seed import seed
    from knowledge.settings import PROJECT_ROOT

    seed(session_factory, progress=lambda *_: None)
    with session_factory() as session:
        stale = stale_lookups(session, PROJECT_ROOT)
    assert stale == [], f"out of sync with the seed: {stale}; run `make lookups`"
