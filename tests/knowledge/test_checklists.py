"""Checklists: the seed file's rules applied to the published documents of birth registration."""
import pytest
import yaml

from knowledge.checklists import (
    ChecklistFileError,
    checklist_items,
    get_checklist,
    next_question,
    read_checklist_file,
    seed_checklists,
    valid_answers,
)
from knowledge.models import Checklist, Document
from knowledge.seed import SEED_DIR
from knowledge.text import fold

CHECKLISTS = SEED_DIR / "checklists"


@pytest.fixture(scope="module")
def birth_documents():
    """The published documents of 1.001193 in the project's seed catalogue (real, unshortened)."""
    records = yaml.safe_load((SEED_DIR / "procedures.yml").read_text(encoding="utf-8"))
    record = next(r for r in records if r["code"] == "1.001193")
    return [Document(position=i, **d) for i, d in enumerate(record["documents"])]


@pytest.fixture(scope="module")
def birth_checklist():
    return Checklist(**read_checklist_file(CHECKLISTS / "1.001193.yml"))


def texts(items, kind=None):
    return [i.text for i in items if kind is None or i.kind == kind]


def test_every_rule_of_the_seed_names_a_published_document(birth_documents, birth_checklist):
    for rule in birth_checklist.rules:
        if "match" in rule:
            names = [d.name for d in birth_documents if fold(rule["match"]) in fold(d.name)]
            assert len(names) == 1, rule["match"]


def test_online_parent_without_birth_certificate(birth_documents, birth_checklist):
    answers = {"birth_certificate": "no", "applicant": "parent", "channel": "online", "special": "none"}
    items = checklist_items(birth_checklist, birth_documents, answers, "vi")
    submit = texts(items, "submit")
    assert submit[0].startswith("Mẫu hộ tịch điện tử tương tác")
    assert submit[-1].startswith("Văn bản của người làm chứng xác nhận về việc sinh")
    assert not any("Văn bản ủy quyền" in t or "bỏ rơi" in t or "mang thai hộ" in t for t in submit)
    assert not any(t.startswith("Tờ khai đăng ký khai sinh theo mẫu") for t in submit)
    assert not any("các giấy tờ sau:" in t for t in texts(items))  # a heading, hidden
    assert all(not i.case for i in items)  # every question answered


def test_in_person_authorised_with_birth_certificate(birth_documents, birth_checklist):
    answers = {"birth_certificate": "yes", "applicant": "authorised", "channel": "in_person", "special": "none"}
    items = checklist_items(birth_checklist, birth_documents, answers, "en")
    submit = texts(items, "submit")
    assert "Giấy chứng sinh (birth certificate from the hospital)" in submit
    assert any(t.startswith("Văn bản ủy quyền") for t in submit)
    assert any(t.startswith("Tờ khai đăng ký khai sinh theo mẫu") for t in submit)
    assert any(t.startswith("Hộ chiếu/Thẻ căn cước") for t in texts(items, "present"))


def test_unanswered_questions_keep_their_documents_marked_with_the_case(birth_documents, birth_checklist):
    items = checklist_items(birth_checklist, birth_documents, {}, "vi")
    marked = {i.text[:20]: i.case for i in items if i.case}
    assert marked["Văn bản ủy quyền (đư"] == "Người được ủy quyền"
    assert marked["Tờ khai đăng ký khai"] == "Nộp trực tiếp / Gửi qua bưu chính"


def test_answers_are_validated_and_questions_asked_in_order(birth_checklist):
    answers = valid_answers(birth_checklist, {"birth_certificate": "maybe", "applicant": "parent", "x": "y"})
    assert answers == {"applicant": "parent"}
    assert next_question(birth_checklist, answers)["key"] == "birth_certificate"
    assert next_question(birth_checklist, {"birth_certificate": "no", **answers})["key"] == "channel"
    assert next_question(None, {}) is None


def test_without_a_checklist_every_document_applies(birth_documents):
    assert len(checklist_items(None, birth_documents, {}, "vi")) == len(birth_documents)


def test_rule_naming_an_unknown_question_is_refused(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text('procedure_code: "1.0"\nquestions: []\nrules:\n  - {match: x, when: {who: me}}\n', encoding="utf-8")
    with pytest.raises(ChecklistFileError, match="unknown questions"):
        read_checklist_file(path)


def test_seeding_checklists_is_idempotent_and_keeps_staff_edits(session_factory):
    with session_factory() as session, session.begin():
        assert seed_checklists(session, CHECKLISTS, actor="seed") == {"checklists_created": 1}
    with session_factory() as session, session.begin():
        assert seed_checklists(session, CHECKLISTS, actor="seed") == {"checklists_unchanged": 1}
        checklist = get_checklist(session, "1.001193")
        checklist.rules = checklist.rules[:1]
        checklist.updated_by = "editor"
    with session_factory() as session, session.begin():
        assert seed_checklists(session, CHECKLISTS, actor="seed") == {"checklists_kept": 1}
    with session_factory() as session:
        assert len(get_checklist(session, "1.001193").rules) == 1
