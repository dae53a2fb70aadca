"""The citizens' vocabulary: staff-editable data, built from the catalogue, used by the search."""
import gzip
import json
import re
from pathlib import Path

import pytest
import yaml

from knowledge import repository
from knowledge.models import AuditLog
from knowledge.search import ProcedureIndex
from knowledge.seed import SEED_DIR, seed_vocabulary
from knowledge.settings import PORTAL_CATALOGUE
from knowledge.text import fold

WORDS = SEED_DIR / "vocabulary"


def _entries():
    return [e for path in sorted(WORDS.glob("*.yml")) for e in yaml.safe_load(path.read_text(encoding="utf-8"))]


def test_the_seed_has_several_hundred_distinct_phrases():
    entries = _entries()
    assert len(entries) >= 300
    folded = [fold(e["phrase"]) for e in entries]
    assert len(folded) == len(set(folded))


@pytest.mark.skipif(not PORTAL_CATALOGUE.exists(), reason=f"portal records absent: {PORTAL_CATALOGUE}")
def test_every_term_is_words_of_a_procedure_name_in_the_catalogue():
    def words(text: str) -> str:
        return " " + " ".join(re.sub(r"[^\w]+", " ", fold(text)).split()) + " "

    with gzip.open(PORTAL_CATALOGUE, "rt", encoding="utf-8") as stream:
        names = "|".join(words(json.loads(line)["name"]) for line in stream)
    missing = sorted({e["term"] for e in _entries() if words(e["term"]) not in names})
    assert missing == []


def test_everyday_words_find_the_official_procedure():
    index = ProcedureIndex.build(
        [("1.000894", "Thủ tục đăng ký kết hôn", [], "ward"), ("1.000656", "Thủ tục đăng ký khai tử", [], "ward"),
         ("1.001612", "Đăng ký thành lập hộ kinh doanh", [], "ward")],
        {"lấy chồng": "kết hôn", "qua đời": "khai tử", "mở tiệm": "hộ kinh doanh", "chó": "động vật"})
    assert index.search("lấy chồng cần giấy gì")[0].code == "1.000894"
    assert index.search("bo toi vua qua doi thi lam gi")[0].code == "1.000656"
    assert index.search("muốn mở tiệm tạp hóa")[0].code == "1.001612"
    assert "động vật" not in index.in_official_terms("làm khai sinh cho con")  # "cho" is not "chó"


def test_seeded_entries_are_audited_and_staff_edits_are_kept(session_factory, tmp_path):
    folder = tmp_path / "vocabulary"
    folder.mkdir()
    (folder / "words.yml").write_text('- {phrase: "lấy vợ", term: "kết hôn"}\n', encoding="utf-8")
    with session_factory() as session, session.begin():
        assert seed_vocabulary(session, folder, "seed")["vocabulary_created"] == 1
    with session_factory() as session, session.begin():
        repository.upsert_vocabulary(session, "lấy vợ", "đăng ký kết hôn", actor="clerk")
    with session_factory() as session, session.begin():
        assert seed_vocabulary(session, folder, "seed")["vocabulary_unchanged"] == 1
    with session_factory() as session:
        assert repository.vocabulary(session) == {"lấy vợ": "đăng ký kết hôn"}
        assert {a.action for a in session.query(AuditLog)} == {"vocabulary.create", "vocabulary.update"}
