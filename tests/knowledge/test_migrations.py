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
