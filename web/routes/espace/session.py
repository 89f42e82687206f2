"""The partner space's session: who is signed in, and CSRF on every form.

The cookie (Starlette's SessionMiddleware, signed) is set only by signing in:
residents never get one, and neither does anyone who merely opens the sign-in
or reset page. It carries a random secret; the ``signinsession`` table decides
on every request whether that secret still opens a session
(``api.services.accounts.sessions``), so signing out, a new password or a removal ends
it at once, on every copy of the cookie.

Forms shown before signing in (sign-in, reset, invitation) carry a signed,
expiring token bound to the form's path instead of a session token, and
cross-site posts of them are refused (``Sec-Fetch-Site``).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.deps import SessionDep
from api.models import User
from api.services.accounts import sessions
from api.services.accounts.access import Principal, load_principal
from api.services.accounts.members import fingerprint
from api.services.search.sql import professional_audience_for_request
from api.settings import get_settings

COOKIE = "reperes_espace"
# How long a form opened before signing in can be sent.
FORM_MAX_AGE = 2 * 3600


class CsrfFailed(Exception):
    """A form without this session's token: expired, or sent from another site."""

    def __init__(self, lang: str) -> None:
        self.lang = lang


class PasswordChangeRequired(Exception):
    """A temporary password is in use: every partner-space page leads to the
    change form until it is replaced."""

    def __init__(self, lang: str, next_path: str) -> None:
        self.lang = lang
        self.next_path = next_path


# The one page a user with a temporary password may open (and sign out).
CHANGE_PASSWORD_PATH = "/{lang}/espace/mot-de-passe-provisoire"


class SignInRequired(Exception):
    """Raised by pages that need a user; answered by a redirect to sign-in."""

    def __init__(self, lang: str, next_path: str) -> None:
        self.lang = lang
        self.next_path = next_path


def sign_in(request: Request, session: Session, user: User) -> None:
    """A new server-side session, and a cookie pointing at it."""
    request.session.clear()  # a new session for a new identity
    secret = sessions.open_session(session, user, get_settings())
    request.session.update(
        sid=secret, fp=fingerprint(user), csrf=secrets.token_urlsafe(24)
    )
    if hasattr(request.state, "principal"):
        del request.state.principal  # the new identity is read on next use


def sign_out(request: Request, session: Session) -> None:
    """End this browser's session (the row goes: copies of the cookie die too)."""
    secret = request.session.get("sid") if "session" in request.scope else None
    if isinstance(secret, str):
        sessions.close_session(session, secret)
    request.session.clear()


def _lookup(request: Request, session: Session) -> Principal | None:
    if "session" not in request.scope:
        return None
    secret = request.session.get("sid")
    if not isinstance(secret, str):
        return None
    user = sessions.user_of(session, secret, get_settings())
    if user is None or fingerprint(user) != request.session.get("fp"):
        request.session.clear()  # an ended session: the cookie goes too
        return None
    request.state.must_change_password = user.must_change_password
    return load_principal(session, user.id)


def principal_of(request: Request, session: Session) -> Principal | None:
    """The signed-in user, read from the database once per request."""
    if not hasattr(request.state, "principal"):
        request.state.principal = _lookup(request, session)
    return request.state.principal  # type: ignore[no-any-return]


async def reader_audience(request: Request, session: SessionDep) -> None:
    """Every route: members of an organisation (and coordinators) also see
    listings reserved to professionals — decided from the database on each
    request, never from the cookie. Async, so what it sets is seen by the
    route that follows."""
    if "session" not in request.scope or "sid" not in request.session:
        return
    principal = await run_in_threadpool(principal_of, request, session)
    professional = bool(principal and (principal.roles or principal.is_coordinator))
    request.state.professional = professional
    professional_audience_for_request(professional)


def _form_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="espace-form")


def csrf_token(request: Request) -> str:
    """The form token: the session's once signed in; before, a signed token
    for this page's path (no cookie needed, none set)."""
    if "session" in request.scope and "csrf" in request.session:
        return str(request.session["csrf"])
    return _form_signer().dumps(request.url.path)


def _anonymous_token_ok(request: Request, given: str) -> bool:
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    try:
        path = _form_signer().loads(given, max_age=FORM_MAX_AGE)
    except BadData:
        return False
    return bool(path == request.url.path)


async def posted_form(request: Request) -> FormData:
    """The posted form, refused (403) unless it carries this session's token
    (or, before signing in, this form's signed token)."""
    form = await request.form()
    expected = request.session.get("csrf") if "session" in request.scope else None
    given = form.get("csrf")
    if not isinstance(given, str):
        ok = False
    elif expected:
        ok = hmac.compare_digest(given, str(expected))
    else:
        ok = _anonymous_token_ok(request, given)
    if not ok:
        raise CsrfFailed(request.path_params.get("lang", "fr"))
    return form


FormDep = Annotated[FormData, Depends(posted_form)]


def current_principal(request: Request, session: SessionDep) -> Principal:
    principal = principal_of(request, session)
    if principal is None:
        lang = request.path_params.get("lang", "fr")
        raise SignInRequired(lang, request.url.path)
    if getattr(request.state, "must_change_password", False):
        lang = request.path_params.get("lang", "fr")
        if request.url.path != CHANGE_PASSWORD_PATH.format(lang=lang):
            raise PasswordChangeRequired(lang, request.url.path)
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]
