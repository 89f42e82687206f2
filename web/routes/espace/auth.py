"""Signing in and out, password reset (signed link by mail) and invitations
(stored, single-use links by mail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import SessionDep, SettingsDep
from api.i18n import _
from api.models import Invitation, Organization, User
from api.services.accounts import members
from api.services.system import links
from api.services.system.ratelimit import client_ip, limiter_for, too_many
from api.settings import Settings
from web.routes.common import PageLang
from web.routes.espace.common import notice_of, page
from web.routes.espace.session import (
    CHANGE_PASSWORD_PATH,
    FormDep,
    PrincipalDep,
    principal_of,
    sign_in,
    sign_out,
)
from web.routes.pages import preferred_locale

router = APIRouter(include_in_schema=False)
# (attempts, window in seconds) per key. One address trying one account meets
# a longer wait at each step (progressive); one address failing on many
# accounts is capped too (its failures only). Nobody else's attempts ever
# count against the real owner trying from their own address.
SIGN_IN_PAIR = ((5, 60), (10, 15 * 60), (20, 3600))
SIGN_IN_ADDRESS = ((50, 15 * 60),)
RESET_PAIR = ((5, 15 * 60),)
RESET_ADDRESS = ((20, 15 * 60),)
# Reset mails to one address, whoever asks: no flooding of an inbox.
RESET_MAILS = ((10, 3600),)
Limits = tuple[tuple[int, int], ...]
_ADDRESS: dict[str, Limits] = {"signin": SIGN_IN_ADDRESS, "reset": RESET_ADDRESS}


def safe_next(lang: str, value: object) -> str:
    """Only a path of our own partner space: never an open redirect."""
    text = str(value or "")
    if text.startswith(f"/{lang}/espace/") and "//" not in text and "\\" not in text:
        return text
    return f"/{lang}/espace/"


def limited(
    settings: Settings, action: str, request: Request, email: str, pair: Limits
) -> int:
    """Seconds to wait when this (address, account) pair or this address is
    over a limit for ``action``, else 0. The attempt is counted for the pair;
    the address's own count grows with failures only (``failed``)."""
    limiter = limiter_for(settings)
    ip = client_ip(request)
    waits = [
        limiter.hit(f"{action}:pair:{ip}:{email}:{window}", limit, window)
        for limit, window in pair
    ]
    waits += [
        limiter.peek(f"{action}:ip:{ip}:{window}", limit)
        for limit, window in _ADDRESS[action]
    ]
    return max((w for w in waits if w), default=0)


def failed(settings: Settings, action: str, request: Request) -> None:
    """Count a failure against the client's address (any account)."""
    limiter = limiter_for(settings)
    ip = client_ip(request)
    for limit, window in _ADDRESS[action]:
        limiter.hit(f"{action}:ip:{ip}:{window}", limit, window)


def refused(
    request: Request, template: str, lang: str, wait: int, **ctx: object
) -> Response:
    """The form again, with the same 429 message as the API."""
    response = page(
        request,
        template,
        lang,
        status=429,
        errors={"": str(too_many(wait).detail)},
        **ctx,
    )
    response.headers["Retry-After"] = str(wait)
    return response


@router.get("/espace")
@router.get("/espace/")
def espace_root(request: Request) -> RedirectResponse:
    """Like the site's root: Accept-Language picks the first language only."""
    locale = preferred_locale(request.headers.get("accept-language", ""))
    return RedirectResponse(f"/{locale}/espace/", status_code=307)


@router.get("/{lang}/espace/connexion")
def sign_in_form(request: Request, lang: PageLang, suite: str = "") -> HTMLResponse:
    return page(
        request,
        "espace/sign_in.html",
        lang,
        values={},
        errors={},
        suite=suite,
        notice=notice_of(request),
    )


@router.post("/{lang}/espace/connexion")
def sign_in_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
) -> Response:
    email = members.normal_email(str(form.get("email") or ""))
    values = {"email": email}
    suite = safe_next(lang, form.get("suite"))
    wait = limited(settings, "signin", request, email, SIGN_IN_PAIR)
    if wait:
        return refused(
            request, "espace/sign_in.html", lang, wait, values=values, suite=suite
        )
    user = members.authenticate(session, email, str(form.get("password") or ""))
    if user is None:
        failed(settings, "signin", request)
        return page(
            request,
            "espace/sign_in.html",
            lang,
            status=400,
            values=values,
            suite=suite,
            errors={"": _("Adresse e-mail ou mot de passe incorrect.")},
        )
    sign_in(request, session, user)
    return RedirectResponse(suite, status_code=303)


@router.post("/{lang}/espace/deconnexion")
def sign_out_post(
    request: Request, lang: PageLang, session: SessionDep, form: FormDep
) -> Response:
    sign_out(request, session)
    return RedirectResponse(f"/{lang}/", status_code=303)


@router.post("/{lang}/espace/deconnexion-partout")
def sign_out_everywhere_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    """End every session of this account: other browsers, a lost phone."""
    user = session.get(User, principal.user_id)
    if user is not None:
        members.sign_out_everywhere(session, user)
    sign_out(request, session)
    return RedirectResponse(f"/{lang}/espace/connexion?fait=partout", status_code=303)


@router.get("/{lang}/espace/mot-de-passe")
def reset_form(request: Request, lang: PageLang) -> HTMLResponse:
    return page(request, "espace/reset_request.html", lang, values={}, errors={})


@router.post("/{lang}/espace/mot-de-passe")
def reset_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
) -> Response:
    email = members.normal_email(str(form.get("email") or ""))
    wait = limited(settings, "reset", request, email, RESET_PAIR)
    if not wait:
        mails = limiter_for(settings)
        wait = max(
            (mails.hit(f"reset:email:{email}:{w}", n, w) or 0) for n, w in RESET_MAILS
        )
    if wait:
        return refused(
            request, "espace/reset_request.html", lang, wait, values={"email": email}
        )
    failed(settings, "reset", request)  # every request may send a mail
    members.send_reset(session, email, settings, lang)
    return page(request, "espace/reset_sent.html", lang, email=email)


def _reset_user(
    session: Session, settings: Settings, token: str
) -> tuple[User | None, str | None]:
    """The user a reset link is for, or the reason it cannot be used."""
    try:
        return members.reset_user(session, token, settings), None
    except links.LinkError as error:
        return None, str(error)


def _same_passwords(form: FormData) -> dict[str, str]:
    if form.get("password") != form.get("password2"):
        return {"password2": _("Les deux mots de passe sont différents.")}
    return {}


@router.get("/{lang}/espace/mot-de-passe/{token}")
def new_password_form(
    request: Request,
    lang: PageLang,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    user, problem = _reset_user(session, settings, token)
    return page(
        request,
        "espace/new_password.html",
        lang,
        status=400 if problem else 200,
        problem=problem,
        errors={},
        token=token,
    )


@router.post("/{lang}/espace/mot-de-passe/{token}")
def new_password_post(
    request: Request,
    lang: PageLang,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
) -> Response:
    user, problem = _reset_user(session, settings, token)
    errors: dict[str, str] = {}
    if user is not None:
        errors = _same_passwords(form)
        try:
            if not errors:
                members.reset_password(session, user, str(form.get("password") or ""))
        except members.AccountError as error:
            errors[error.field] = error.message
    if user is None or errors:
        return page(
            request,
            "espace/new_password.html",
            lang,
            status=400,
            problem=problem,
            errors=errors,
            token=token,
        )
    sign_in(request, session, user)
    return RedirectResponse(f"/{lang}/espace/", status_code=303)


@dataclass(frozen=True)
class InvitationView:
    """An invitation link, read: the invitation, or why it cannot be used."""

    token: str
    invite: Invitation | None
    problem: str | None
    organization: Organization | None
    has_account: bool
    # The invited account is the one signed in (it may accept at once).
    signed_in_as_invited: bool

    def context(self, lang: str) -> dict[str, object]:
        return {
            "token": self.token,
            "invite": self.invite,
            "problem": self.problem,
            "organization": self.organization,
            "has_account": self.has_account,
            "signed_in_as_invited": self.signed_in_as_invited,
            "sign_in_first": f"/{lang}/espace/connexion?suite="
            f"/{lang}/espace/invitation/{self.token}",
            "role_label": members.role_label(self.invite.role) if self.invite else "",
        }


def _invitation(request: Request, token: str, session: SessionDep) -> InvitationView:
    try:
        invite = members.read_invite(session, token)
    except members.InvitationError as error:
        return InvitationView(token, None, str(error), None, False, False)
    organization = session.get(Organization, invite.organization_id)
    if organization is None or organization.deleted_at is not None:
        return InvitationView(token, None, None, None, False, False)
    principal = principal_of(request, session)
    return InvitationView(
        token,
        invite,
        None,
        organization,
        members.user_by_email(session, invite.email) is not None,
        principal is not None and principal.email == invite.email,
    )


InvitationDep = Annotated[InvitationView, Depends(_invitation)]


@router.get("/{lang}/espace/invitation/{token}")
def invitation_form(
    request: Request, lang: PageLang, session: SessionDep, invitation: InvitationDep
) -> HTMLResponse:
    return page(
        request,
        "espace/invitation.html",
        lang,
        principal_of(request, session),
        status=400 if invitation.invite is None else 200,
        values={},
        errors={},
        **invitation.context(lang),
    )


@router.post("/{lang}/espace/invitation/{token}")
def invitation_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    invitation: InvitationDep,
    form: FormDep,
) -> Response:
    invite = invitation.invite
    values = {"name": str(form.get("name") or "")}
    errors: dict[str, str] = {}
    principal = principal_of(request, session)
    if invite is not None:
        errors = {} if invitation.has_account else _same_passwords(form)
        try:
            if not errors:
                user = members.accept_invite(
                    session,
                    invite,
                    values["name"],
                    str(form.get("password") or ""),
                    principal.user_id if principal else None,
                )
        except members.AccountError as error:
            errors[error.field] = error.message
    if invite is None or errors:
        return page(
            request,
            "espace/invitation.html",
            lang,
            principal,
            status=400,
            values=values,
            errors=errors,
            **invitation.context(lang),
        )
    if not invitation.has_account:
        sign_in(request, session, user)
    return RedirectResponse(
        f"/{lang}/espace/structures/{invite.organization_id}", status_code=303
    )


@router.get(CHANGE_PASSWORD_PATH)
def temporary_password_form(
    request: Request, lang: PageLang, principal: PrincipalDep, suite: str = ""
) -> HTMLResponse:
    return page(
        request,
        "espace/temporary_password.html",
        lang,
        principal,
        errors={},
        suite=safe_next(lang, suite),
    )


@router.post(CHANGE_PASSWORD_PATH)
def temporary_password_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    """Replace a temporary password (printed by the command line), then go
    where the person was going."""
    suite = safe_next(lang, form.get("suite"))
    user = session.get(User, principal.user_id)
    errors = _same_passwords(form)
    if user is not None and not errors:
        try:
            members.replace_temporary_password(
                session,
                user,
                str(form.get("current") or ""),
                str(form.get("password") or ""),
            )
        except members.AccountError as error:
            errors[error.field] = error.message
    if user is None or errors:
        return page(
            request,
            "espace/temporary_password.html",
            lang,
            principal,
            status=400,
            errors=errors,
            suite=suite,
        )
    sign_in(request, session, user)
    return RedirectResponse(suite, status_code=303)
