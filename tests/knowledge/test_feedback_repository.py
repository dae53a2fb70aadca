"""knowledge.feedback: a rating is stored in the caller's transaction, with personal data removed."""
from __future__ import annotations

import unicodedata

import sqlalchemy as sa

from knowledge.db import make_engine, make_session_factory
from knowledge.feedback import add_feedback
from knowledge.models import Base, Feedback


def test_add_feedback_redacts_and_normalises(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        add_feedback(
            session,
            sender="web-abc",
            message=unicodedata.normalize("NFD", "Lệ phí khai sinh: gọi 0912345678"),
            helpful=False,
            comment="sai, cccd của tôi là 046201001234",
        )
    with sessions() as session:
        [row] = session.execute(sa.select(Feedback)).scalars()
    engine.dispose()
    assert row.sender == "web-abc" and row.helpful is False
    assert row.message == "Lệ phí khai sinh: gọi [số điện thoại]"
    assert row.comment == "sai, cccd của tôi là [số giấy tờ]"


def test_nothing_is_stored_when_the_caller_rolls_back(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        session.begin()
        add_feedback(session, sender="web-abc", message="x", helpful=True)
        session.rollback()
    with sessions() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(Feedback)).scalar_one() == 0
    engine.dispose()
