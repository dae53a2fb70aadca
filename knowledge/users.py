"""Staff accounts (admin / editor / trainer): argon2 password hashes, sign-in, creation. Every function takes a
Session and opens no transaction; callers wrap writes in `with session.begin():`. There is no default account:
the first one is made with `python -m knowledge create-user --role admin USERNAME`.
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from knowledge.models import ROLES, AuditLog, User

MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")

_hasher = PasswordHasher()
# Verified when the username does not exist, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class InvalidUser(ValueError):
    """A username, role or password that cannot be stored."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_new_user(username: str, password: str, role: str) -> str:
    """The normalised username; raises InvalidUser saying what is wrong."""
    username = (username or "").strip().lower()
    if not USERNAME.fullmatch(username):
        raise InvalidUser("username: 2–64 lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise InvalidUser(f"role: one of {', '.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidUser(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    return username


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def find_user(session: Session, username: str) -> User | None:
    name = (username or "").strip().lower()
    return session.execute(sa.select(User).where(User.username == name)).scalar_one_or_none()


def list_users(session: Session) -> list[User]:
    return list(session.execute(sa.select(User).order_by(User.username)).scalars())


def create_user(session: Session, username: str, password: str, role: str, actor: str) -> User:
    """A new active account; audited (without the hash). Raises InvalidUser, also for a name already taken."""
    username = check_new_user(username, password, role)
    if find_user(session, username) is not None:
        raise InvalidUser(f"username: {username!r} already exists")
    user = User(username=username, password_hash=hash_password(password), role=role, active=True)
    session.add(user)
    session.add(AuditLog(actor=actor, action="user.create", target=f"user:{username}", before=None,
                         after={"username": username, "role": role, "active": True}))
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (same work either way). A hash made with older
    parameters is upgraded in place (the caller commits)."""
    user = find_user(session, username)
    try:
        _hasher.verify(user.password_hash if user is not None else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def update_user(session: Session, username: str, *, role: str, active: bool, actor: str) -> User:
    """Change an account's role or disable it (audited). The last active admin cannot be demoted or disabled,
    so that the admin always has someone to manage it."""
    user = find_user(session, username)
    if user is None:
        raise InvalidUser(f"username: no account {username!r}")
    if role not in ROLES:
        raise InvalidUser(f"role: one of {', '.join(ROLES)}")
    before = {"username": user.username, "role": user.role, "active": user.active}
    after = {"username": user.username, "role": role, "active": bool(active)}
    if before == after:
        return user
    if user.role == "admin" and user.active and (role != "admin" or not active):
        admins = session.execute(
            sa.select(sa.func.count(User.id)).where(User.role == "admin", User.active.is_(True))
        ).scalar_one()
        if admins <= 1:
            raise InvalidUser("role: the last active admin cannot be demoted or disabled")
    user.role, user.active = role, bool(active)
    session.add(AuditLog(actor=actor, action="user.update", target=f"user:{user.username}", before=before,
                         after=after))
    return user
