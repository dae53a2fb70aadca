"""Personal document checklists: which of a procedure's documents apply in the citizen's case.

A checklist (knowledge/seed/checklists/<code>.yml, table `checklists`) holds the questions that change the
list and rules over the procedure's documents:
- `{match: "văn bản ủy quyền", when: {applicant: authorised}}`: documents whose name contains the text
  (accents and case ignored) apply only when every condition holds (a list of values means "any of");
- `{position: 3, ...}`: the same by the document's position in the record (0-based);
- `hide: true`: never listed (headings and notes that only repeat the others);
- `show_as: {vi, en}`: a shorter name to show instead of the published one;
- `{add: {vi, en}, when: ...}`: an item the record does not list separately.
Documents no rule names always apply. An unanswered question keeps what depends on it, marked as a case.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from knowledge.models import Checklist, Document
from knowledge.text import fold

LANGUAGES = ("vi", "en")


class ChecklistFileError(ValueError):
    """A checklist seed file that cannot be loaded."""


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    kind: str  # "submit" | "present" | "note" (a published note, nothing to bring)
    document: Document | None = None  # None for an item a rule adds
    case: str = ""  # the answer it depends on, when that question is not answered yet


# ---------------------------------------------------------------- questions and answers
def questions_of(checklist: Checklist | None) -> list[dict]:
    return list(checklist.questions or []) if checklist is not None else []


def valid_answers(checklist: Checklist | None, answers: Mapping[str, object]) -> dict[str, str]:
    """Only the answers to this checklist's questions with one of their options."""
    valid = {}
    for question in questions_of(checklist):
        value = answers.get(question["key"])
        if isinstance(value, str) and value in {o["value"] for o in question["options"]}:
            valid[question["key"]] = value
    return valid


def next_question(checklist: Checklist | None, answers: Mapping[str, str]) -> dict | None:
    """The first question not answered yet, or None when the list is complete."""
    for question in questions_of(checklist):
        if question["key"] not in answers:
            return question
    return None


def option_label(question: dict, value: str, language: str) -> str:
    for option in question["options"]:
        if option["value"] == value:
            return _localised(option["label"], language)
    return value


def _localised(value, language: str) -> str:
    if isinstance(value, dict):
        return value.get(language) or value.get("vi") or ""
    return str(value or "")


# ---------------------------------------------------------------- applying the rules
def _rule_for(rules: Sequence[dict], document: Document) -> dict | None:
    name = fold(document.name)
    for rule in rules:
        if "position" in rule and rule["position"] == document.position:
            return rule
        if "match" in rule and fold(rule["match"]) in name:
            return rule
    return None


def _holds(rule: dict, answers: Mapping[str, str]) -> tuple[bool, list[tuple[str, list[str]]]]:
    """Whether the rule's conditions hold, and the unanswered (question, allowed values) it depends on."""
    open_cases = []
    for key, wanted in (rule.get("when") or {}).items():
        allowed = wanted if isinstance(wanted, list) else [wanted]
        if key not in answers:
            open_cases.append((key, [str(a) for a in allowed]))
        elif answers[key] not in [str(a) for a in allowed]:
            return False, []
    return True, open_cases


def checklist_items(
    checklist: Checklist | None, documents: Sequence[Document], answers: Mapping[str, str], language: str
) -> list[ChecklistItem]:
    """The documents (and added items) that apply to the citizen's answers, in the record's order."""
    rules = list(checklist.rules or []) if checklist is not None else []
    questions = {q["key"]: q for q in questions_of(checklist)}

    def case_text(open_cases) -> str:
        """The answers an item depends on, by their option labels: "Nộp trực tiếp / Gửi qua bưu chính"."""
        return "; ".join(
            " / ".join(option_label(questions[key], value, language) for value in values)
            for key, values in open_cases
            if key in questions
        )

    items = []
    for document in documents:
        rule = _rule_for([r for r in rules if "add" not in r], document) or {}
        if rule.get("hide"):
            continue
        applies, open_cases = _holds(rule, answers)
        if not applies:
            continue
        kind = "note" if document.quantity == 0 else document.kind
        text = _localised(rule["show_as"], language) if rule.get("show_as") else document.name.strip()
        items.append(ChecklistItem(text, kind, document, case_text(open_cases)))
    for rule in rules:
        if "add" in rule:
            applies, open_cases = _holds(rule, answers)
            if applies:
                items.append(ChecklistItem(_localised(rule["add"], language), rule.get("kind", "submit"), None,
                                           case_text(open_cases)))  # fmt: skip
    return items


# ---------------------------------------------------------------- storage
def get_checklist(session: Session, procedure_code: str) -> Checklist | None:
    statement = sa.select(Checklist).where(Checklist.procedure_code == str(procedure_code).strip())
    return session.execute(statement).scalar_one_or_none()


def read_checklist_file(path: Path) -> dict:
    """{procedure_code, questions, rules} from a seed file; raises ChecklistFileError when invalid."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    name = Path(path).name
    if not isinstance(raw, dict) or not str(raw.get("procedure_code", "")).strip():
        raise ChecklistFileError(f"{name}: expected a mapping with a procedure_code")
    questions, rules = raw.get("questions") or [], raw.get("rules") or []
    keys = set()
    for question in questions:
        options = question.get("options") if isinstance(question, dict) else None
        if not question.get("key") or not isinstance(options, list) or len(options) < 2:
            raise ChecklistFileError(f"{name}: each question needs a key and at least two options")
        for language in LANGUAGES:
            texts = [question.get("text")] + [o.get("label") for o in options]
            if not all(isinstance(t, dict) and t.get(language) for t in texts):
                raise ChecklistFileError(f"{name}: question {question['key']}: {language} text missing")
        keys.add(question["key"])
    for rule in rules:
        if not isinstance(rule, dict) or not ({"match", "position", "add"} & set(rule)):
            raise ChecklistFileError(f"{name}: each rule needs match, position or add")
        unknown = set(rule.get("when") or {}) - keys
        if unknown:
            raise ChecklistFileError(f"{name}: rule {rule} depends on unknown questions {sorted(unknown)}")
    return {"procedure_code": str(raw["procedure_code"]).strip(), "questions": questions, "rules": rules}


def upsert_checklist(session: Session, record: dict, actor: str) -> str:
    """"created", "updated", "unchanged", or "kept" when staff changed it in the database."""
    checklist = get_checklist(session, record["procedure_code"])
    if checklist is not None and (checklist.questions, checklist.rules) == (record["questions"], record["rules"]):
        return "unchanged"
    if checklist is not None and checklist.updated_by != actor:
        return "kept"
    status = "updated" if checklist is not None else "created"
    if checklist is None:
        checklist = Checklist(procedure_code=record["procedure_code"])
        session.add(checklist)
    checklist.questions, checklist.rules, checklist.updated_by = record["questions"], record["rules"], actor
    return status


def seed_checklists(session: Session, folder: Path, actor: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in sorted(Path(folder).glob("*.yml")):
        status = "checklists_" + upsert_checklist(session, read_checklist_file(path), actor)
        counts[status] = counts.get(status, 0) + 1
    return counts
