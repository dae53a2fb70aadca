import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from knowledge import repository
from knowledge.db import make_engine, make_session_factory
from knowledge.migrate import upgrade
from knowledge.models import Base


def test_upgrade_empty_database_to_head_matches_the_models(tmp_path, record):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    upgrade(url)  # a second run is a no-op
    engine = make_engine(url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables and "alembic_version" in tables
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == [], "models.py changed without a migration: " + repr(differences)

        sessions = make_session_factory(engine)
        with sessions() as session, session.begin():
            repository.upsert_procedure(session, record, actor="test")
        with sessions() as session:
            stored = repository.procedure_to_record(repository.get_procedure(session, "1.001193"))
        assert stored["documents"][0]["name"] == "Giấy chứng sinh"
        assert stored["channels"][1]["time_value"] == 0.5 and stored["verified_on"] == "2026-11-28"
    finally:
        engine.dispose()


def test_upgrade_from_0001_keeps_guides_and_adds_checklists(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO guides (slug, language, title, summary, updated_at, updated_by) "
                        "VALUES ('vneid', 'vi', 'VNeID', '', '2026-11-28 00:00:00', 'editor')")
            )  # fmt: skip
            connection.execute(
                sa.text("INSERT INTO guide_steps (guide_id, position, key, title, body, help) "
                        "VALUES (1, 0, 'install', 'Cài ứng dụng', 'Tải VNeID', '')")
            )  # fmt: skip
        upgrade(url)
        with engine.connect() as connection:
            step = connection.execute(sa.text("SELECT key, condition, tutorial FROM guide_steps")).one()
            keywords = connection.execute(sa.text("SELECT keywords FROM guides")).scalar_one()
        assert tuple(step) == ("install", "", "") and keywords == "[]"
        assert "checklists" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
