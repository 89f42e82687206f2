"""The partner space's session: who is signed in, and CSRF on every form.

The session lives in a signed cookie (Starlette's SessionMiddleware) that is
only ever set by signing in: residents never get one.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import SessionDep
from api.models import User
from api.services.access import Principal, load_principal
from api.services.accounts import fingerprint

COOKIE = "reperes_espace"
MAX_AGE = 12 * 3600


class CsrfFailed(Exception):
    """A form without this session's token: expired, or sent from another site."""

    def __init__(self, lang: str) -> None:
        self.lang = lang


class SignInRequired(Exception):
    """Raised by pages that need a user; answered by a redirect to sign-in."""

    def __init__(self, lang: str, next_path: str) -> None:
        self.lang = lang
        self.next_path = next_path


def sign_in(request: Request, session: Session, user: User) -> None:
    request.session.clear()  # a new session id for a new identity
    principal = load_principal(session, user.id)
    request.session.update(
        uid=str(user.id),
        fp=fingerprint(user),
        csrf=secrets.token_urlsafe(24),
        # Members of an organisation see listings reserved to professionals.
        pro=bool(principal and (principal.roles or principal.is_coordinator)),
    )


def sign_out(request: Request) -> None:
    request.session.clear()


def principal_of(request: Request, session: Session) -> Principal | None:
    """The signed-in user, if the cookie is valid and the password unchanged."""
    if "session" not in request.scope or "uid" not in request.session:
        return None
    try:
        user_id = uuid.UUID(request.session["uid"])
    except ValueError:
        return None
    user = session.get(User, user_id)
    if user is None or fingerprint(user) != request.session.get("fp"):
        return None
    return load_principal(session, user_id)


def csrf_token(request: Request) -> str:
    """The form token; creating one starts a session (sign-in page only)."""
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(24)
    return str(request.session["csrf"])


async def posted_form(request: Request) -> FormData:
    """The posted form, refused (403) unless it carries this session's token."""
    form = await request.form()
    expected = request.session.get("csrf") if "session" in request.scope else None
    given = form.get("csrf")
    if (
        not expected
        or not isinstance(given, str)
        or not hmac.compare_digest(given, str(expected))
    ):
        raise CsrfFailed(request.path_params.get("lang", "fr"))
    return form


FormDep = Annotated[FormData, Depends(posted_form)]


def current_principal(request: Request, session: SessionDep) -> Principal:
    principal = principal_of(request, session)
    if principal is None:
        lang = request.path_params.get("lang", "fr")
        raise SignInRequired(lang, request.url.path)
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]
