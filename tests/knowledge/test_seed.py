import shutil

import sqlalchemy as sa

from knowledge.models import Procedure, Ward
from knowledge.seed import read_seed_file, seed

from .conftest import FIXTURE


def test_seed_loads_records_and_wards_and_is_idempotent(session_factory, tmp_path):
    shutil.copy(FIXTURE, tmp_path / "procedures.yml")
    messages = []
    first = seed(session_factory, tmp_path, progress=messages.append)
    assert first["created"] == 3 and first["wards_created"] == 40 and first["offices_created"] == 41
    assert any("3/3 procedures" in m for m in messages)
    second = seed(session_factory, tmp_path, progress=messages.append)
    assert second["unchanged"] == 3 and second["created"] == second["updated"] == 0
    assert second["wards_created"] == second["offices_created"] == 0
    with session_factory() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(Procedure)).scalar_one() == 3
        assert session.execute(sa.select(sa.func.count()).select_from(Ward)).scalar_one() == 40


def test_project_seed_files_are_valid_records():
    from knowledge.records import validate_record
    from knowledge.seed import SEED_DIR

    for path in sorted(SEED_DIR.glob("*.yml")):
        records = read_seed_file(path)
        problems = [(r.get("code"), e) for r in records for e in validate_record(r)]
        assert problems == [], f"{path.name}: {problems[:5]}"
        codes = [r["code"] for r in records]
        assert len(codes) == len(set(codes)), f"{path.name}: duplicate codes"
