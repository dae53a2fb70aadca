"""Huế's 40 wards/communes (from the vietnam-provinces package) and their service points, into the KB.

Old (pre-2025) names come from knowledge/data/ward_old_names.yml, office names and the city office's known
facts from knowledge/data/offices.yml. Unknown office facts stay empty.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from knowledge.models import Office, Ward
from knowledge.text import load_data, normalise

HUE_PROVINCE_CODE = 46
OFFICE_FIELDS = ("name", "address", "hours", "phone", "url")


@dataclass(frozen=True)
class WardFacts:
    code: int
    name: str  # "Phường Thuận An"
    division_type: str  # "phường" / "xã"
    old_names: tuple[str, ...]

    @property
    def bare_name(self) -> str:
        """The name without its division word: "Thuận An"."""
        return re.sub(rf"^{re.escape(self.division_type)}\s+", "", self.name, flags=re.IGNORECASE)


def hue_wards() -> list[WardFacts]:
    """The current wards/communes of Thành phố Huế, ordered by code, with the old names we know."""
    from vietnam_provinces import Ward as PackageWard  # imported on use: it loads a large table

    old_names = {normalise(k): [normalise(n) for n in v] for k, v in (load_data("ward_old_names.yml") or {}).items()}
    wards = [
        WardFacts(
            code=int(w.code),
            name=normalise(w.name),
            division_type=w.division_type.value,
            old_names=tuple(old_names.pop(normalise(w.name), [])),
        )
        for w in PackageWard.iter_all()
        if int(w.province_code) == HUE_PROVINCE_CODE
    ]
    if old_names:
        raise ValueError(f"ward_old_names.yml names unknown wards: {', '.join(sorted(old_names))}")
    return sorted(wards, key=lambda w: w.code)


def ward_office_name(ward: WardFacts) -> str:
    template = load_data("offices.yml")["ward_office_name"]
    return template.format(division=ward.division_type, name=ward.bare_name)


def sync_wards(session: Session) -> dict[str, int]:
    """Insert or update the wards and create missing offices; fill only empty office fields from the data.
    Returns counts {"wards_created", "wards_updated", "offices_created", "offices_updated"}."""
    counts = dict.fromkeys(("wards_created", "wards_updated", "offices_created", "offices_updated"), 0)
    stored = {w.code: w for w in session.execute(sa.select(Ward)).scalars()}
    offices = list(session.execute(sa.select(Office).order_by(Office.id)).scalars())
    office_by_ward = {}
    for office in offices:
        office_by_ward.setdefault(office.ward_code, office)
    wards = hue_wards()
    for facts in wards:
        ward = stored.get(facts.code)
        values = {"name": facts.name, "division_type": facts.division_type, "old_names": list(facts.old_names)}
        if ward is None:
            session.add(Ward(code=facts.code, **values))
            counts["wards_created"] += 1
        elif any(getattr(ward, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(ward, key, value)
            counts["wards_updated"] += 1
    session.flush()  # offices refer to wards
    for facts in wards:
        known = {"name": ward_office_name(facts)}
        _sync_office(session, office_by_ward.get(facts.code), facts.code, known, counts)
    city = {k: v for k, v in (load_data("offices.yml")["city_office"] or {}).items() if k in OFFICE_FIELDS}
    _sync_office(session, office_by_ward.get(None), None, city, counts)
    return counts


def _sync_office(session: Session, office: Office | None, ward_code, known: dict, counts: dict) -> None:
    known = {k: (v or "").strip() for k, v in known.items()}
    if office is None:
        session.add(Office(ward_code=ward_code, **{k: known.get(k, "") for k in OFFICE_FIELDS}))
        counts["offices_created"] += 1
        return
    empty = {k: v for k, v in known.items() if v and not getattr(office, k)}
    for key, value in empty.items():
        setattr(office, key, value)
    if empty:
        counts["offices_updated"] += 1
