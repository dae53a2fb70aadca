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


def test_seed_loads_guides_and_checklists_from_their_folders(session_factory, tmp_path):
    from knowledge.guides import get_guide
    from knowledge.checklists import get_checklist
    from knowledge.seed import SEED_DIR

    shutil.copy(FIXTURE, tmp_path / "procedures.yml")
    shutil.copytree(SEED_DIR / "guides", tmp_path / "guides")
    shutil.copytree(SEED_DIR / "checklists", tmp_path / "checklists")
    messages = []
    first = seed(session_factory, tmp_path, progress=messages.append, wards=False)
    assert first["created"] == 3  # the guide and checklist files are not read as procedures
    assert first["guides_created"] == 14 and first["checklists_created"] == 1
    assert "guides: 14 created" in messages and "checklists: 1 created" in messages
    second = seed(session_factory, tmp_path, progress=messages.append, wards=False)
    assert second["guides_unchanged"] == 14 and second["checklists_unchanged"] == 1
    with session_factory() as session:
        assert get_guide(session, "online_submission", "en").title == "Applying online, step by step"
        assert get_checklist(session, "1.001193").questions[0]["key"] == "birth_certificate"
