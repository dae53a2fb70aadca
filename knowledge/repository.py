"""Queries and writes on the knowledge base. Every function takes a Session; none opens a transaction:
callers wrap writes in `with session.begin():`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from knowledge.models import AuditLog, Channel, Document, Office, Procedure, Vocabulary, Ward
from knowledge.records import (
    CHANNEL_FIELDS,
    DOCUMENT_FIELDS,
    RECORD_FIELDS,
    canonical_record,
    procedure_to_record,
    validate_record,
)
from knowledge.search import ProcedureIndex
from knowledge.text import fold, words

__all__ = [
    "InvalidRecord", "UpsertResult", "get_procedure", "list_procedures", "upsert_procedure",
    "procedure_to_record", "validate_record", "list_wards", "find_ward", "ward_names", "get_office",
    "load_index",
]  # fmt: skip


class InvalidRecord(ValueError):
    """A procedure record that cannot be stored; `errors` lists every problem."""

    def __init__(self, code, errors: list[str]):
        self.errors = errors
        super().__init__(f"procedure {code!r}: " + "; ".join(errors))


class UpsertResult(str):
    """"created", "updated" or "unchanged" (compares equal to those strings), plus `kept_fields`: fields the
    incoming record would have changed but that staff edited by hand, so they were kept."""

    kept_fields: tuple[str, ...]

    def __new__(cls, status: str, kept_fields: Iterable[str] = ()):
        result = super().__new__(cls, status)
        result.kept_fields = tuple(kept_fields)
        return result

    @property
    def status(self) -> str:
        return str(self)


def _with_details(statement):
    return statement.options(selectinload(Procedure.documents), selectinload(Procedure.channels))


def get_procedure(session: Session, code: str) -> Procedure | None:
    """The procedure with this national code, its documents and channels loaded."""
    statement = _with_details(sa.select(Procedure).where(Procedure.code == str(code).strip()))
    return session.execute(statement).scalar_one_or_none()


def list_procedures(session: Session, *, with_details: bool = False) -> list[Procedure]:
    """All procedures ordered by code; with documents and channels when `with_details`."""
    statement = sa.select(Procedure).order_by(Procedure.code)
    if with_details:
        statement = _with_details(statement)
    return list(session.execute(statement).scalars())


def _apply(procedure: Procedure, record: dict, fields: Iterable[str]) -> None:
    for name in fields:
        value = record[name]
        if name == "documents":
            procedure.documents = [
                Document(position=i, **{k: d[k] for k in DOCUMENT_FIELDS}) for i, d in enumerate(value)
            ]
        elif name == "channels":
            procedure.channels = [
                Channel(position=i, **{k: c[k] for k in CHANNEL_FIELDS}) for i, c in enumerate(value)
            ]
        elif name == "verified_on":
            procedure.verified_on = dt.date.fromisoformat(value) if value else None
        else:
            setattr(procedure, name, value)


def upsert_procedure(
    session: Session,
    record: dict,
    actor: str,
    overwrite_edited: bool = False,
    mark_edited: bool = False,
) -> UpsertResult:
    """Create or update the procedure `record["code"]` and log the change in the audit log.

    Fields missing from `record` are left as they are. Fields listed in the stored `edited_fields` (changed by
    staff) are kept unless `overwrite_edited`; the result's `kept_fields` names those that differed. With
    `mark_edited` (staff edits), the fields this call changes are added to `edited_fields`.
    Raises InvalidRecord when the record is not valid.
    """
    errors = validate_record(record)
    if errors:
        raise InvalidRecord(record.get("code") if isinstance(record, dict) else None, errors)
    incoming = canonical_record(record)
    procedure = get_procedure(session, incoming["code"])
    if procedure is None:
        procedure = Procedure(code=incoming["code"], updated_by=actor)
        _apply(procedure, incoming, RECORD_FIELDS)
        procedure.edited_fields = incoming.get("edited_fields", [])
        if mark_edited:
            procedure.edited_fields = sorted(set(procedure.edited_fields) | (set(record) - {"code", "edited_fields"}))
        session.add(procedure)
        _audit(session, actor, "procedure.create", incoming["code"], None, procedure_to_record(procedure))
        return UpsertResult("created")

    before = procedure_to_record(procedure)
    protected = set() if overwrite_edited else set(before["edited_fields"])
    changed, kept = [], []
    for name in RECORD_FIELDS[1:]:
        if name not in record or incoming[name] == before[name]:
            continue
        (kept if name in protected else changed).append(name)
    edited = set(incoming["edited_fields"]) if "edited_fields" in record else set(before["edited_fields"])
    if overwrite_edited and "edited_fields" not in record:
        edited -= set(changed)
    if mark_edited:
        edited |= set(changed)
    if not changed and sorted(edited) == before["edited_fields"]:
        return UpsertResult("unchanged", kept)
    _apply(procedure, incoming, changed)
    procedure.edited_fields = sorted(edited)
    procedure.updated_by = actor
    procedure.updated_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    _audit(session, actor, "procedure.update", incoming["code"], before, procedure_to_record(procedure))
    return UpsertResult("updated", kept)



# --- staff edits (the admin) --------------------------------------------------------------------------------

class StaleEdit(Exception):
    """The record changed since the editor opened it (optimistic locking): the save is refused."""


def procedure_version(procedure: Procedure) -> str:
    """What an edit form carries back to prove it was made on the current state: the last change's time."""
    return procedure.updated_at.isoformat(timespec="microseconds") if procedure.updated_at else ""


def edit_procedure(session: Session, code: str, changes: dict, actor: str, version: str) -> UpsertResult:
    """Staff change `changes` (record fields) of procedure `code`, opened at `version`; audited, marked edited.

    Raises LookupError for an unknown code, StaleEdit when someone saved it after `version` (the check and the
    new version are one conditional UPDATE, so of two saves of the same version exactly one wins), and
    InvalidRecord when the merged record is not valid.
    """
    procedure = get_procedure(session, code)
    if procedure is None:
        raise LookupError(code)
    record = procedure_to_record(procedure)
    record.update(changes)
    errors = validate_record(record)
    if errors:
        raise InvalidRecord(code, errors)
    if version != procedure_version(procedure):
        raise StaleEdit(code)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    claimed = session.execute(
        sa.update(Procedure)
        .where(Procedure.id == procedure.id, Procedure.updated_at == procedure.updated_at)
        .values(updated_at=now, updated_by=actor)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise StaleEdit(code)
    session.expire(procedure, ["updated_at", "updated_by"])
    return upsert_procedure(session, record, actor=actor, mark_edited=True)


def create_procedure(session: Session, record: dict, actor: str) -> None:
    """A new procedure from staff (at least code, name, level); audited. Raises InvalidRecord, also when the
    code is taken."""
    errors = validate_record(record)
    if not errors and get_procedure(session, str(record["code"]).strip()) is not None:
        errors = [f"code: {str(record['code']).strip()} already exists (a code is unique)"]
    if errors:
        raise InvalidRecord(record.get("code") if isinstance(record, dict) else None, errors)
    upsert_procedure(session, record, actor=actor, mark_edited=True)


def delete_procedure(session: Session, code: str, actor: str, version: str) -> None:
    """Remove a procedure with its documents and channels, opened at `version`; audited with the whole record
    before. Raises LookupError, StaleEdit."""
    procedure = get_procedure(session, code)
    if procedure is None:
        raise LookupError(code)
    if version != procedure_version(procedure):
        raise StaleEdit(code)
    before = procedure_to_record(procedure)
    claimed = session.execute(
        sa.delete(Procedure).where(Procedure.id == procedure.id, Procedure.updated_at == procedure.updated_at)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise StaleEdit(code)
    session.expunge(procedure)
    _audit(session, actor, "procedure.delete", before["code"], before, None)


def find_procedures(
    session: Session,
    text: str = "",
    *,
    field: str = "",
    level: str = "",
    flagged: bool | None = None,
    verified: bool | None = None,
    online: bool | None = None,
    not_verified_days: int | None = None,
    today: dt.date | None = None,
) -> list[Procedure]:
    """Procedures for the staff list, by code: `text` matches the code or, accents and case ignored, the name
    or an alias; `flagged` (the import left flags), `verified` (has a check stamp), `not_verified_days` (no
    stamp, or one older than that), `online` (can be done wholly online)."""
    statement = sa.select(Procedure).order_by(Procedure.code)
    if field:
        statement = statement.where(Procedure.field == field)
    if level:
        statement = statement.where(Procedure.level == level)
    if verified is not None:
        statement = statement.where(Procedure.verified_on.is_not(None) if verified else Procedure.verified_on.is_(None))
    if online is not None:
        statement = statement.where(Procedure.full_online.is_(online))
    if not_verified_days is not None:
        since = (today or dt.date.today()) - dt.timedelta(days=not_verified_days)
        statement = statement.where(sa.or_(Procedure.verified_on.is_(None), Procedure.verified_on < since))
    found = list(session.execute(statement).scalars())
    if flagged is not None:
        found = [p for p in found if bool(p.flags) == flagged]
    key = " ".join(words(fold(text or "")))
    if key:
        found = [
            p for p in found
            if p.code.startswith(text.strip()) or any(key in " ".join(words(fold(n))) for n in [p.name, *(p.aliases or [])])
        ]
    return found


def procedure_fields(session: Session) -> list[str]:
    """Every field (lĩnh vực) some procedure has, sorted."""
    rows = session.execute(sa.select(Procedure.field).where(Procedure.field != "").distinct().order_by(Procedure.field))
    return list(rows.scalars())


def audit_entries(
    session: Session, *, actor: str = "", action: str = "", target: str = "", limit: int = 100, offset: int = 0
) -> list[AuditLog]:
    """Audit entries, newest first: `actor` exactly, `action` by prefix ("procedure."), `target` containing."""
    statement = sa.select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if actor:
        statement = statement.where(AuditLog.actor == actor)
    if action:
        statement = statement.where(AuditLog.action.startswith(action, autoescape=True))
    if target:
        statement = statement.where(AuditLog.target.contains(target, autoescape=True))
    return list(session.execute(statement.limit(limit).offset(offset)).scalars())


def _audit(session: Session, actor: str, action: str, code: str, before, after) -> None:
    session.add(AuditLog(actor=actor, action=action, target=f"procedure:{code}", before=before, after=after))


def load_index(session: Session) -> ProcedureIndex:
    """A search index over every procedure's name and aliases, with usage and the citizens' vocabulary."""
    rows = session.execute(
        sa.select(Procedure.code, Procedure.name, Procedure.aliases, Procedure.level, Procedure.usage)
        .order_by(Procedure.code)
    )
    entries = [(code, name, aliases or [], level, usage or 0) for code, name, aliases, level, usage in rows]
    return ProcedureIndex.build(entries, vocabulary(session))


# --- citizens' vocabulary ----------------------------------------------------------------------------------

def vocabulary(session: Session) -> dict[str, str]:
    """{everyday phrase: official term}."""
    return dict(session.execute(sa.select(Vocabulary.phrase, Vocabulary.term).order_by(Vocabulary.phrase)).all())


def upsert_vocabulary(session: Session, phrase: str, term: str, actor: str, keep_edited: bool = False) -> str:
    """Create or update one entry ("created" | "updated" | "unchanged"); audited. With `keep_edited`, an entry
    that someone other than `actor` changed last is left as it is."""
    phrase, term = " ".join(phrase.split()), " ".join(term.split())
    if not phrase or not term:
        raise ValueError("a vocabulary entry needs a phrase and a term")
    entry = session.execute(sa.select(Vocabulary).where(Vocabulary.phrase == phrase)).scalar_one_or_none()
    if entry is None:
        session.add(Vocabulary(phrase=phrase, term=term, updated_by=actor))
        session.add(AuditLog(actor=actor, action="vocabulary.create", target=f"vocabulary:{phrase}",
                             before=None, after={"phrase": phrase, "term": term}))
        return "created"
    if entry.term == term or (keep_edited and entry.updated_by != actor):
        return "unchanged"
    session.add(AuditLog(actor=actor, action="vocabulary.update", target=f"vocabulary:{phrase}",
                         before={"phrase": phrase, "term": entry.term}, after={"phrase": phrase, "term": term}))
    entry.term, entry.updated_by = term, actor
    return "updated"


def delete_vocabulary(session: Session, phrase: str, actor: str) -> bool:
    """Remove one entry (audited); False when there was none."""
    entry = session.execute(sa.select(Vocabulary).where(Vocabulary.phrase == phrase)).scalar_one_or_none()
    if entry is None:
        return False
    session.add(AuditLog(actor=actor, action="vocabulary.delete", target=f"vocabulary:{phrase}",
                         before={"phrase": phrase, "term": entry.term}, after=None))
    session.delete(entry)
    return True


# --- wards and offices -------------------------------------------------------------------------------------

# Folded words that may precede a ward's name, abbreviations included ("P. Thuận An", "xa Phu Vang").
_WARD_PREFIXES = re.compile(r"^(?:phuong|xa|thi tran|p|x|tt)\s+")


def _ward_key(text: str) -> str:
    return " ".join(words(fold(text)))


def _bare(key: str) -> str:
    return _WARD_PREFIXES.sub("", key)


def ward_names(ward: Ward) -> list[str]:
    """Every spelling that names `ward`: its name, the name without "Phường"/"Xã", and its old names."""
    names = [ward.name, *(ward.old_names or [])]
    bare = [re.sub(r"^(?:Phường|Xã|Thị trấn)\s+", "", n) for n in names]
    return list(dict.fromkeys(names + bare))


def list_wards(session: Session) -> list[Ward]:
    return list(session.execute(sa.select(Ward).order_by(Ward.name)).scalars())


def find_ward(session: Session, text: str) -> Ward | None:
    """The ward `text` names, accents and case ignored: "phường Thuận An", "thuan an", "P. Thuận An", an old
    name ("Phú Hội"), or a longer message that contains one of these. Current names win over old names."""
    key = _ward_key(text)
    if not key:
        return None
    wards = list_wards(session)
    tables = []  # (key → ward) tables in order of preference
    for use_old in (False, True):
        full, bare = {}, {}
        for ward in wards:
            for name in (ward.old_names or []) if use_old else [ward.name]:
                full.setdefault(_ward_key(name), ward)
                bare.setdefault(_bare(_ward_key(name)), ward)
        tables += [full, bare]
    for table in tables:
        if key in table:
            return table[key]
        if _bare(key) in table:
            return table[_bare(key)]
    padded = f" {key} "
    for table in tables:
        found = [k for k in table if f" {k} " in padded]
        if found:
            return table[max(found, key=len)]
    return None


def get_office(session: Session, ward_code: int | None) -> Office | None:
    """The service point of a ward, or the city's own when `ward_code` is None."""
    condition = Office.ward_code.is_(None) if ward_code is None else Office.ward_code == int(ward_code)
    return session.execute(sa.select(Office).where(condition).order_by(Office.id).limit(1)).scalar_one_or_none()


OFFICE_FIELDS = ("name", "address", "hours", "phone", "url")


def list_offices(session: Session) -> list[tuple[Office, str]]:
    """Every service point with the name of its ward ("" for the city's), the city's first, then by ward name."""
    rows = session.execute(
        sa.select(Office, Ward.name).outerjoin(Ward, Office.ward_code == Ward.code)
        .order_by(Office.ward_code.is_not(None), Ward.name, Office.id)
    ).all()
    return [(office, ward_name or "") for office, ward_name in rows]


def get_office_by_id(session: Session, office_id: int) -> Office | None:
    return session.get(Office, office_id)


def office_version(office: Office) -> str:
    """What an office form carries back: a digest of the values it was opened with (offices have no timestamp)."""
    values = json.dumps([getattr(office, name) for name in OFFICE_FIELDS], ensure_ascii=False)
    return hashlib.sha256(values.encode("utf-8")).hexdigest()[:32]


def edit_office(session: Session, office_id: int, changes: dict, actor: str, version: str) -> bool:
    """Staff change an office's name, address, hours, phone or link, opened at `version`; audited. False when
    nothing changed. Raises LookupError, ValueError (no name), StaleEdit when someone saved it meanwhile (the
    check is the UPDATE's own condition on the values the form was opened with)."""
    office = get_office_by_id(session, office_id)
    if office is None:
        raise LookupError(office_id)
    if version != office_version(office):
        raise StaleEdit(office_id)
    before = {name: getattr(office, name) for name in OFFICE_FIELDS}
    after = {**before, **{k: " ".join(str(v).split()) for k, v in changes.items() if k in OFFICE_FIELDS}}
    if not after["name"]:
        raise ValueError("name: required")
    if after == before:
        return False
    claimed = session.execute(
        sa.update(Office)
        .where(Office.id == office_id, *(getattr(Office, k) == v for k, v in before.items()))
        .values(**after)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise StaleEdit(office_id)
    session.expire(office)
    session.add(AuditLog(actor=actor, action="office.update", target=f"office:{office_id}", before=before,
                         after=after))
    return True
