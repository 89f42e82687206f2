"""Secrets: password hashing (argon2) and API tokens (shown once, stored hashed)."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from api.models import ApiToken, Membership, Organization, Role, User

TOKEN_SCOPES = ("read", "write")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    row: ApiToken
    secret: str  # the whole token, never stored


def issue_token(
    session: Session,
    organization: Organization,
    name: str,
    scopes: list[str],
    created_by: uuid.UUID | None = None,
) -> IssuedToken:
    prefix = "rp_" + secrets.token_hex(4)
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken(
        organization_id=organization.id,
        name=name,
        prefix=prefix,
        token_hash=hash_token(secret),
        scopes=sorted(set(scopes)),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return IssuedToken(row, secret)


def find_organization(session: Session, slug: str) -> Organization | None:
    return session.exec(
        select(Organization).where(
            Organization.slug == slug,
            Organization.deleted_at.is_(None),  # type: ignore[union-attr]
        )
    ).first()


def ensure_user(
    session: Session, email: str, password: str, name: str | None = None
) -> tuple[User, bool]:
    """The account for this address, created with ``password`` if there is
    none; returns it and whether it was created."""
    email = email.strip().lower()
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None:
        return user, False
    user = User(email=email, name=name, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user, True


def grant(session: Session, user: User, organization_id: uuid.UUID, role: Role) -> None:
    """Make ``user`` a member of the organisation with ``role`` (or change it)."""
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == organization_id
        )
    ).first()
    if membership is None:
        membership = Membership(user_id=user.id, organization_id=organization_id)
    membership.role = role
    session.add(membership)
    session.flush()


def add_member(
    session: Session, email: str, organization: Organization, role: Role, password: str
) -> tuple[User, bool]:
    """Give ``role`` in ``organization`` to the user, created with ``password`` if
    new; returns the user and whether it was created."""
    user, created = ensure_user(session, email, password)
    grant(session, user, organization.id, role)
    return user, created
