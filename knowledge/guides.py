"""Guides: the online-submission coach and the stand-alone tutorials (VNeID, password, login, payment...).

Staff keep them as YAML under knowledge/seed/guides/ (one file per guide, Vietnamese and English side by side)
or edit the rows; `seed_guides` loads the files into Guide/GuideStep, one Guide row per language. A guide that
staff changed in the database (`updated_by` is not "seed") is never overwritten by the seed.

Step texts may use placeholders filled from the procedure the coach is about ({procedure_code},
{procedure_name}, ...: see PLACEHOLDERS); a step with a `condition` applies only when the procedure meets it.

Every step says where its facts come from: `source:` a record's national code ("3.000228"), a legal text
("Nghị định số 69/2024/NĐ-CP"), or RECORD_SOURCE when its facts are filled in from the procedure's own record;
or `verify: true`, a mark that staff still have to check it (stored as an empty source, listed by
`steps_to_verify` for the admin). A step with neither is refused.
"""
from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session, selectinload

from knowledge.models import AuditLog, Guide, GuideStep
from knowledge.text import fold, words

LANGUAGES = ("vi", "en")
# The guide the step-by-step coach walks through; every other guide is a stand-alone tutorial.
COACH_SLUG = "online_submission"
# What a step text may name; the coach fills each one from the procedure and the settings.
PLACEHOLDERS = frozenset(
    {
        "procedure_code", "procedure_name", "agency", "documents", "fee", "result", "official_url",
        "portal_url", "city_hotline", "national_hotline",
    }
)  # fmt: skip
# When a step applies. "fee": the online channel has a fee to pay (or its fee is not known).
CONDITIONS = frozenset({"", "fee"})
# A coach step whose facts come from the procedure's own record (its placeholders).
RECORD_SOURCE = "record"
_SLUG = re.compile(r"[a-z][a-z0-9_]{0,63}")


class GuideFileError(ValueError):
    """A guide seed file that cannot be loaded; the message names the file and the problem."""


@dataclass(frozen=True)
class GuideRecord:
    """One guide in one language, as read from a seed file."""

    slug: str
    language: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    steps: tuple[dict, ...]  # {key, title, body, help, condition, tutorial, source}


def placeholders_in(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _text(value, language: str, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict) and isinstance(value.get(language, ""), str):
        return (value.get(language) or "").strip()
    raise GuideFileError(f"{where}: expected a text or {{vi: ..., en: ...}}")


def read_guide_file(path: Path) -> list[GuideRecord]:
    """The Vietnamese and English versions of the guide in `path`; raises GuideFileError when invalid."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    name = Path(path).name
    if not isinstance(raw, dict) or not _SLUG.fullmatch(str(raw.get("slug", ""))):
        raise GuideFileError(f"{name}: expected a mapping with a slug (lower-case letters, digits, _)")
    steps = raw.get("steps")
    if not isinstance(steps, list) or not steps:
        raise GuideFileError(f"{name}: a guide needs a non-empty list of steps")
    keys = [str(step.get("key", "")) for step in steps if isinstance(step, dict)]
    if len(keys) != len(steps) or not all(_SLUG.fullmatch(k) for k in keys) or len(set(keys)) != len(keys):
        raise GuideFileError(f"{name}: every step needs its own key (lower-case letters, digits, _)")
    keywords = tuple(dict.fromkeys(" ".join(words(fold(str(k)))) for k in raw.get("keywords") or []))
    for step in steps:
        source, verify = str(step.get("source") or "").strip(), step.get("verify")
        if bool(source) == (verify is True) or verify not in (None, True):
            raise GuideFileError(
                f"{name}: step {step['key']}: give either a source (record code or legal text) or verify: true"
            )
    records = []
    for language in LANGUAGES:
        parsed = []
        for step in steps:
            where = f"{name}: step {step['key']}"
            condition = str(step.get("condition") or "")
            if condition not in CONDITIONS:
                raise GuideFileError(f"{where}: unknown condition {condition!r}")
            entry = {
                "key": step["key"],
                "title": _text(step.get("title"), language, where),
                "body": _text(step.get("body"), language, where),
                "help": _text(step.get("help"), language, where),
                "condition": condition,
                "tutorial": str(step.get("tutorial") or ""),
                "source": str(step.get("source") or "").strip(),
            }
            if not entry["title"] or not entry["body"]:
                raise GuideFileError(f"{where}: the {language} title and body must not be empty")
            unknown = set().union(*(placeholders_in(entry[f]) for f in ("title", "body", "help"))) - PLACEHOLDERS
            if unknown:
                raise GuideFileError(f"{where}: unknown placeholders {sorted(unknown)}")
            parsed.append(entry)
        title = _text(raw.get("title"), language, f"{name}: title")
        if not title:
            raise GuideFileError(f"{name}: the {language} title must not be empty")
        summary = _text(raw.get("summary"), language, f"{name}: summary")
        records.append(GuideRecord(raw["slug"], language, title, summary, keywords, tuple(parsed)))
    return records


def _guide_state(guide: Guide) -> dict:
    return {
        "title": guide.title,
        "summary": guide.summary,
        "keywords": list(guide.keywords or []),
        "steps": [
            {"key": s.key, "title": s.title, "body": s.body, "help": s.help, "condition": s.condition,
             "tutorial": s.tutorial, "source": s.source}
            for s in guide.steps
        ],
    }  # fmt: skip


def upsert_guide(session: Session, record: GuideRecord, actor: str) -> str:
    """Create or update one guide; "created", "updated", "unchanged", or "kept" (staff edited it)."""
    statement = sa.select(Guide).options(selectinload(Guide.steps))
    guide = session.execute(
        statement.where(Guide.slug == record.slug, Guide.language == record.language)
    ).scalar_one_or_none()
    wanted = {
        "title": record.title,
        "summary": record.summary,
        "keywords": list(record.keywords),
        "steps": [dict(step) for step in record.steps],
    }
    if guide is not None and _guide_state(guide) == wanted:
        return "unchanged"
    if guide is not None and guide.updated_by != actor:
        return "kept"
    status = "updated" if guide is not None else "created"
    if guide is None:
        guide = Guide(slug=record.slug, language=record.language)
        session.add(guide)
    guide.title, guide.summary, guide.keywords = record.title, record.summary, list(record.keywords)
    guide.steps = [GuideStep(position=i, **step) for i, step in enumerate(wanted["steps"])]
    guide.updated_by = actor
    return status


def seed_guides(session: Session, folder: Path, actor: str) -> dict[str, int]:
    """Load every folder/*.yml guide; counts by outcome, keys prefixed "guides_"."""
    counts: dict[str, int] = {}
    for path in sorted(Path(folder).glob("*.yml")):
        for record in read_guide_file(path):
            status = "guides_" + upsert_guide(session, record, actor)
            counts[status] = counts.get(status, 0) + 1
    return counts


# ---------------------------------------------------------------- staff edits

def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class StaleGuide(Exception):
    """The guide changed since the editor opened it: the save is refused."""


def guide_version(guide: Guide) -> str:
    return guide.updated_at.isoformat(timespec="microseconds") if guide.updated_at else ""


def guide_text_errors(texts: Iterable[str]) -> list[str]:
    """Placeholders a step text may not use ({x} not in PLACEHOLDERS), and braces that do not parse."""
    errors = []
    for text in texts:
        try:
            unknown = sorted(placeholders_in(text) - PLACEHOLDERS)
        except ValueError:
            errors.append(f"braces that do not pair up in: {text[:60]!r}")
            continue
        errors += [f"unknown placeholder {{{name}}} (known: {', '.join(sorted(PLACEHOLDERS))})" for name in unknown]
    return errors


def edit_guide(session: Session, guide_id: int, changes: dict, actor: str, version: str) -> bool:
    """Staff change a guide's title, summary and its steps' title, body, help and source (same steps, same order),
    opened at `version`; audited with the state before and after; False when nothing changed. A source left
    empty marks the step "to be verified". Raises LookupError, ValueError (a bad placeholder, a step count that
    differs), StaleGuide when it was saved meanwhile (one conditional UPDATE)."""
    guide = session.execute(
        sa.select(Guide).options(selectinload(Guide.steps)).where(Guide.id == guide_id)
    ).scalar_one_or_none()
    if guide is None:
        raise LookupError(guide_id)
    if version != guide_version(guide):
        raise StaleGuide(guide_id)
    before = _guide_state(guide)
    steps = changes.get("steps", before["steps"])
    if len(steps) != len(guide.steps):
        raise ValueError("the steps of a guide are edited in place: same number, same order")
    after = {**before, **{k: changes[k] for k in ("title", "summary") if k in changes},
             "steps": [{**old, **{k: new[k] for k in ("title", "body", "help", "source") if k in new}}
                       for old, new in zip(before["steps"], steps)]}
    if not after["title"].strip() or any(not step["title"].strip() for step in after["steps"]):
        raise ValueError("a guide and each of its steps need a title")
    errors = guide_text_errors([after["title"], after["summary"],
                                *(step[k] for step in after["steps"] for k in ("title", "body", "help"))])
    if errors:
        raise ValueError("; ".join(errors))
    if after == before:
        return False
    now = _now()
    claimed = session.execute(
        sa.update(Guide).where(Guide.id == guide.id, Guide.updated_at == guide.updated_at)
        .values(updated_at=now, updated_by=actor).execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise StaleGuide(guide_id)
    guide.title, guide.summary = after["title"], after["summary"]
    for step, new in zip(guide.steps, after["steps"]):
        step.title, step.body, step.help, step.source = new["title"], new["body"], new["help"], new["source"]
    guide.updated_at, guide.updated_by = now, actor
    session.add(AuditLog(actor=actor, action="guide.update", target=f"guide:{guide.slug}:{guide.language}",
                         before=before, after=after))
    return True


def list_guides(session: Session) -> list[Guide]:
    """Every guide in every language, steps loaded, by slug then language."""
    statement = sa.select(Guide).options(selectinload(Guide.steps)).order_by(Guide.slug, Guide.language)
    return list(session.execute(statement).scalars())


def get_guide_by_id(session: Session, guide_id: int) -> Guide | None:
    return session.execute(
        sa.select(Guide).options(selectinload(Guide.steps)).where(Guide.id == guide_id)
    ).scalar_one_or_none()


# ---------------------------------------------------------------- reading
def get_guide(session: Session, slug: str, language: str) -> Guide | None:
    """The guide in `language`, else in Vietnamese; steps loaded in order."""
    statement = sa.select(Guide).options(selectinload(Guide.steps)).where(Guide.slug == slug)
    guides = {g.language: g for g in session.execute(statement).scalars()}
    return guides.get(language) or guides.get("vi")


def steps_to_verify(session: Session) -> list[tuple[str, str, str, str]]:
    """(slug, language, step key, step title) of every guide step staff still have to check (no source)."""
    statement = (
        sa.select(Guide.slug, Guide.language, GuideStep.key, GuideStep.title)
        .join(GuideStep, GuideStep.guide_id == Guide.id)
        .where(GuideStep.source == "")
        .order_by(Guide.slug, Guide.language, GuideStep.position)
    )
    return [tuple(row) for row in session.execute(statement)]


def list_tutorials(session: Session, language: str) -> list[Guide]:
    """Every stand-alone tutorial (not the coach), one per slug, in `language` where there is one."""
    statement = sa.select(Guide).where(Guide.slug != COACH_SLUG).order_by(Guide.slug, Guide.id)
    by_slug: dict[str, Guide] = {}
    for guide in session.execute(statement).scalars():
        if guide.slug not in by_slug or guide.language == language:
            by_slug[guide.slug] = guide
    return list(by_slug.values())


def find_tutorial(tutorials: Iterable[Guide], text: str) -> Guide | None:
    """The tutorial whose keyword the folded `text` contains (the longest keyword wins)."""
    padded = f" {' '.join(words(fold(text)))} "
    best, best_length = None, 0
    for guide in tutorials:
        for keyword in guide.keywords or []:
            if f" {keyword} " in padded and len(keyword) > best_length:
                best, best_length = guide, len(keyword)
    return best


def applicable_steps(steps: Sequence[GuideStep], facts: Mapping[str, bool]) -> list[GuideStep]:
    """The steps that apply: those without a condition, and those whose condition `facts` holds."""
    return [step for step in steps if not step.condition or facts.get(step.condition, False)]


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with its placeholders replaced by `values` (a placeholder without a value stays as written)."""
    return text.format_map(_Missing(values))
