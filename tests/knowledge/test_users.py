"""Staff accounts: argon2 hashes, sign-in, `python -m knowledge create-user` (no default account)."""
import io
from dataclasses import replace

import pytest
import sqlalchemy as sa

from knowledge import users
from knowledge.cli import main
from knowledge.models import AuditLog, User
from knowledge.settings import Settings

PASSWORD = "a long enough password"


def test_a_user_is_stored_with_an_argon2_hash_and_audited(session_factory):
    with session_factory() as session, session.begin():
        users.create_user(session, "An.Nguyen", PASSWORD, "editor", actor="cli")
    with session_factory() as session:
        user = users.find_user(session, "an.nguyen")
        assert user.role == "editor" and user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        entry = session.execute(sa.select(AuditLog)).scalar_one()
        assert entry.action == "user.create" and "password_hash" not in entry.after


def test_authenticate(session_factory):
    with session_factory() as session, session.begin():
        users.create_user(session, "binh", PASSWORD, "admin", actor="cli")
    with session_factory() as session:
        assert users.authenticate(session, "binh", PASSWORD).username == "binh"
        assert users.authenticate(session, " BINH ", PASSWORD) is not None
        assert users.authenticate(session, "binh", PASSWORD + "x") is None
        assert users.authenticate(session, "nobody", PASSWORD) is None
        users.find_user(session, "binh").active = False
        assert users.authenticate(session, "binh", PASSWORD) is None


@pytest.mark.parametrize("username, password, role, problem", [
    ("an", "short", "admin", "password"),
    ("an", PASSWORD, "boss", "role"),
    ("a b", PASSWORD, "admin", "username"),
    ("", PASSWORD, "admin", "username"),
])
def test_invalid_users_are_refused(session_factory, username, password, role, problem):
    with pytest.raises(users.InvalidUser, match=problem), session_factory() as session:
        users.create_user(session, username, password, role, actor="cli")


def test_create_user_command_reads_the_password_from_stdin(engine, database_url, session_factory, monkeypatch,
                                                           capsys):
    settings = replace(Settings(), database_url=database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["create-user", "--role", "admin", "chi"], settings) == 0
    assert "created admin chi" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["create-user", "--role", "editor", "chi"], settings) == 1
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["create-user", "--role", "editor", "dung"], settings) == 1
    assert "at least 12" in capsys.readouterr().err
    with session_factory() as session:
        assert [u.username for u in session.execute(sa.select(User)).scalars()] == ["chi"]
