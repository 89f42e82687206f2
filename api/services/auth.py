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


def add_member(
    session: Session, email: str, organization: Organization, role: Role, password: str
) -> tuple[User, bool]:
    """Give ``role`` in ``organization`` to the user, created with ``password`` if
    new; returns the user and whether it was created."""
    email = email.strip().lower()
    user = session.exec(select(User).where(User.email == email)).first()
    created = user is None
    if user is None:
        user = User(email=email, password_hash=hash_password(password))
        session.add(user)
        session.flush()
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == organization.id
        )
    ).first()
    if membership is None:
        session.add(
            Membership(user_id=user.id, organization_id=organization.id, role=role)
        )
    else:
        membership.role = role
    session.flush()
    return user, created
