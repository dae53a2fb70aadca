"""Fixtures for the action tests: a temporary SQLite knowledge base, trackers from JSON, and a runner that
checks every uttered response exists in domain.yml with all its variables filled."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.kb import KnowledgeBase, use_knowledge_base
from knowledge import repository
from knowledge.checklists import seed_checklists
from knowledge.guides import seed_guides
from knowledge.models import Base, Office, Ward
from knowledge.settings import NATIONAL_CATALOGUE, PORTAL_CATALOGUE, PORTAL_USAGE, Settings

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SEED = ROOT / "knowledge" / "seed"
_PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")

# Test-only wards and offices. Thuận An has no office record (nothing known about it); the Thuận Hóa office
# values are invented for the test and say so.
WARDS = [
    {"code": 19900, "name": "Phường Thuận An", "division_type": "phường", "old_names": ["Thị trấn Thuận An"]},
    {"code": 19786, "name": "Phường Thuận Hóa", "division_type": "phường", "old_names": ["Phường Phú Hội"]},
]
OFFICES = [
    {
        "ward_code": 19786,
        "name": "Bộ phận một cửa phường Thuận Hóa (dữ liệu thử)",
        "address": "Số 1 Đường Thử, phường Thuận Hóa (dữ liệu thử)",
        "hours": "Thứ Hai đến Thứ Sáu (dữ liệu thử)",
        "phone": "0234 000 000",
    },
]


def procedure_records() -> List[dict]:
    """The test KB: the small fixture (real facts, shortened). The full seed is for the running bot."""
    return yaml.safe_load((DATA / "procedures.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def kb(database_url):
    settings = replace(Settings(), database_url=database_url, index_refresh_seconds=0)
    knowledge_base = KnowledgeBase(settings)
    Base.metadata.create_all(knowledge_base.engine)
    with knowledge_base.session() as session, session.begin():
        for record in procedure_records():
            repository.upsert_procedure(session, record, actor="test")
        session.add_all([Ward(**ward) for ward in WARDS])
        session.flush()  # offices refer to wards
        session.add_all([Office(**office) for office in OFFICES])
        # The project's own guides and checklists (knowledge/seed/): the coach is tested with the real texts.
        seed_guides(session, SEED / "guides", actor="seed")
        seed_checklists(session, SEED / "checklists", actor="seed")
    previous = use_knowledge_base(knowledge_base)
    yield knowledge_base
    use_knowledge_base(previous)
    knowledge_base.dispose()


@contextmanager
def _knowledge_base_in(directory: Path, fill: Callable[[KnowledgeBase], None]) -> Iterator[KnowledgeBase]:
    """A KnowledgeBase on a fresh SQLite file in `directory`, filled by `fill`, used by the actions meanwhile."""
    kb = KnowledgeBase(replace(Settings(), database_url=f"sqlite:///{directory / 'knowledge.db'}",
                               index_refresh_seconds=0))
    Base.metadata.create_all(kb.engine)
    fill(kb)
    previous = use_knowledge_base(kb)
    try:
        yield kb
    finally:
        use_knowledge_base(previous)
        kb.dispose()


@pytest.fixture(scope="session")
def knowledge_base_in():
    """`with knowledge_base_in(directory, fill) as kb:` for module-wide knowledge bases (seed, national)."""
    return _knowledge_base_in


@pytest.fixture(scope="session")
def full_catalogue(tmp_path_factory) -> Iterator[KnowledgeBase]:
    """The whole catalogue (the national and the structured portal records, with usage) imported once per test
    session into a temporary knowledge base (about a minute). Not installed for the actions: a module that runs
    actions on it installs it with `use_knowledge_base`. Skipped where ../shared/tthc is absent."""
    from knowledge.importers.catalogue import import_files, read_usage

    missing = [str(path) for path in (NATIONAL_CATALOGUE, PORTAL_CATALOGUE) if not path.exists()]
    if missing:
        pytest.skip(f"{', '.join(missing)} absent: the official records are read from ../shared, never committed")
    directory = tmp_path_factory.mktemp("catalogue")
    kb = KnowledgeBase(replace(Settings(), database_url=f"sqlite:///{directory / 'knowledge.db'}",
                               index_refresh_seconds=0))
    Base.metadata.create_all(kb.engine)
    import_files(kb.session, [NATIONAL_CATALOGUE, PORTAL_CATALOGUE], usage=read_usage(PORTAL_USAGE))
    yield kb
    kb.dispose()


def tracker_state(scenario: str) -> Dict[str, Any]:
    """The tracker saved as tests/data/trackers/<scenario>.json, as a dict (to change before running)."""
    return json.loads((DATA / "trackers" / f"{scenario}.json").read_text(encoding="utf-8"))


def tracker(scenario, **changes) -> Tracker:
    """The tracker of `scenario` (a name under tests/data/trackers/, or a state dict), with `changes` applied
    to its slots."""
    state = tracker_state(scenario) if isinstance(scenario, str) else json.loads(json.dumps(scenario))
    state["slots"].update(changes)
    return Tracker.from_dict(state)


def placeholders(domain: Dict[str, Any], response: str) -> set:
    names = set()
    for variation in domain["responses"][response]:
        names |= set(_PLACEHOLDER.findall(variation.get("text", "")))
    return names


@pytest.fixture
def scenario_state():
    """`scenario_state(name)`: a scenario's tracker as a dict, e.g. to change its latest message."""
    return tracker_state


@pytest.fixture
def act(kb, domain):
    """`await act(action, scenario, **slots)` runs `action` on the scenario's tracker against the test KB and
    returns (events, messages), after checking each message names a domain response and fills its variables."""

    async def run(action: Action, scenario, **slots) -> Tuple[list, list]:
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, tracker(scenario, **slots), domain)
        for message in dispatcher.messages:
            name = message["response"]
            assert name in domain["responses"], f"{name} is not a response in domain.yml"
            missing = placeholders(domain, name) - set(message) - set(domain["slots"])
            assert not missing, f"{name} lacks variables {missing}"
        return events, dispatcher.messages

    return run
