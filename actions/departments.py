"""Who answers a question the assistant cannot pin to one procedure: the department of its field.

The table is knowledge/data/departments.yml (field or name words → department). The bot names the department
with the city's hotline and portal; it never guesses a phone number.
"""
from __future__ import annotations

import functools
from typing import Optional

from knowledge.models import Procedure
from knowledge.text import fold, load_data


# Who answers legal questions (the bot gives no legal advice): the city's state legal aid, under the Justice
# department. Staff: keep in step with knowledge/data/departments.yml.
LEGAL_HELP = "Trung tâm Trợ giúp pháp lý nhà nước thành phố Huế (Sở Tư pháp)"


@functools.lru_cache(maxsize=1)
def _table() -> tuple[tuple[tuple[str, ...], str], ...]:
    return tuple((tuple(f" {fold(m)} " for m in row["match"]), row["department"])
                 for row in load_data("departments.yml") or [])


def department_for(procedure: Optional[Procedure]) -> str:
    """The department most likely responsible for the field of `procedure`, or ""."""
    if procedure is None:
        return ""
    for text in (procedure.field, procedure.name):
        folded = f" {' '.join(fold(text or '').replace(',', ' ').replace(';', ' ').split())} "
        for words, department in _table():
            if any(word in folded for word in words):
                return department
    return ""
