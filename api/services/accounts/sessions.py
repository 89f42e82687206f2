"""Server-side sign-in sessions: the cookie carries a random secret, the
``signinsession`` table decides whether it still opens the partner space.

A session ends at once when its row goes: signing out (this browser), "sign
out everywhere", a password change or reset, removal from an organisation.
It also ends ``session_hours`` after signing in whatever the activity
(absolute lifetime), and after ``session_idle_minutes`` without a request.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from api.models import SignInSession, User, utcnow
from api.services.accounts.auth import hash_token
from api.settings import Settings

# last_seen_at is written at most this often: not one UPDATE per request.
_TOUCH_EVERY = timedelta(minutes=1)


def open_session(session: Session, user: User, settings: Settings) -> str:
    """A new session for ``user``; returns the secret to put in the cookie."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    # Housekeeping: this user's ended sessions go when a new one starts.
    session.exec(  # type: ignore[call-overload]
        delete(SignInSession).where(
            col(SignInSession.user_id) == user.id,
            col(SignInSession.expires_at) <= now,
        )
    )
    session.add(
        SignInSession(
            user_id=user.id,
            token_hash=hash_token(secret),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_hours),
        )
    )
    session.commit()
    return secret


def user_of(session: Session, secret: str, settings: Settings) -> User | None:
    """The active user this secret signs in, or None (unknown, ended, expired)."""
    row = session.exec(
        select(SignInSession).where(SignInSession.token_hash == hash_token(secret))
    ).first()
    if row is None:
        return None
    now = utcnow()
    idle = timedelta(minutes=settings.session_idle_minutes)
    if now >= row.expires_at or now - row.last_seen_at >= idle:
        session.delete(row)
        session.commit()
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active or user.deleted_at is not None:
        return None
    if now - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return user


def close_session(session: Session, secret: str) -> None:
    session.exec(  # type: ignore[call-overload]
        delete(SignInSession).where(col(SignInSession.token_hash) == hash_token(secret))
    )
    session.commit()


def close_all(session: Session, user_id: uuid.UUID) -> None:
    """End every session of this user, in the caller's transaction (committed
    with the change that calls for it: a new password, a removal)."""
    session.exec(  # type: ignore[call-overload]
        delete(SignInSession).where(col(SignInSession.user_id) == user_id)
    )
