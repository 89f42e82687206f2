"""« Référencer ma structure » (/{lang}/referencer): a structure asks to join
the directory, or claims an organisation already in it (``?structure=<id>``).
No account and no cookie for the visitor; rate-limited per address; robots
meet a honeypot field and a signed timestamp. Owners answer claims on their
organisation from its dashboard."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.i18n import _
from api.models import Decider, Organization, OrganizationRequest, Role
from api.services.onboarding import form as request_form
from api.services.onboarding import requests
from api.services.places.communes import names as commune_names
from api.services.system.ratelimit import client_ip, limiter_for, too_many
from api.settings import Settings
from web.routes.common import PageLang
from web.routes.espace.common import EspaceError, back_to, organization_for, page
from web.routes.espace.session import FormDep, PrincipalDep

router = APIRouter(include_in_schema=False)
# Requests per client address: enough for a centre social's shared computer.
LIMIT = (10, 3600)


def _claimed(session: Session, value: object) -> Organization | None:
    """The organisation a claim is about; 404 when the id names none."""
    if not value:
        return None
    try:
        organization = session.get(Organization, uuid.UUID(str(value)))
    except ValueError:
        organization = None
    if organization is None or organization.deleted_at is not None:
        raise HTTPException(status_code=404)
    return organization


def _form_page(
    request: Request,
    lang: str,
    settings: Settings,
    claimed: Organization | None,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "onboarding/request.html",
        lang,
        status=status,
        claimed=claimed,
        values=values,
        errors=errors,
        stamp=request_form.stamp(settings.secret_key),
        honeypot=request_form.HONEYPOT,
        stamp_field=request_form.STAMP,
        communes=commune_names(),
    )


@router.get("/{lang}/referencer")
def request_form_page(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    settings: SettingsDep,
    structure: str = "",
) -> HTMLResponse:
    claimed = _claimed(session, structure)
    values = {"name": claimed.name} if claimed else {}
    return _form_page(request, lang, settings, claimed, values, {})


@router.post("/{lang}/referencer")
def request_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
) -> Response:
    claimed = _claimed(session, form.get("structure"))
    limit, window = LIMIT
    wait = limiter_for(settings).hit(f"referencer:{client_ip(request)}", limit, window)
    values, errors = request_form.read(form)
    if wait:
        response = _form_page(
            request, lang, settings, claimed, values,
            {"": str(too_many(wait).detail)}, status=429,
        )  # fmt: skip
        response.headers["Retry-After"] = str(wait)
        return response
    if request_form.is_robot(form):  # answered like a success; nothing kept
        return RedirectResponse(f"/{lang}/referencer/envoye", status_code=303)
    stamp_problem = request_form.stamp_error(
        settings.secret_key, str(form.get(request_form.STAMP) or "")
    )
    if stamp_problem:
        errors[""] = stamp_problem
    if errors:
        return _form_page(request, lang, settings, claimed, values, errors, status=400)
    stored, new = requests.submit(session, request_form.checked(values), lang, claimed)
    session.commit()
    if new:
        requests.notify(session, stored, settings)
    return RedirectResponse(f"/{lang}/referencer/envoye", status_code=303)


@router.get("/{lang}/referencer/envoye")
def request_sent(request: Request, lang: PageLang) -> HTMLResponse:
    return page(request, "onboarding/sent.html", lang)


@router.post("/{lang}/espace/structures/{organization_id}/demandes/{request_id}")
def owner_decision(
    lang: PageLang,
    organization_id: uuid.UUID,
    request_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    """An owner accepts (the person is invited as an owner) or declines a
    claim on their organisation."""
    organization_for(session, principal, organization_id, Role.owner)
    claim = session.get(OrganizationRequest, request_id)
    if (
        claim is None
        or claim.organization_id != organization_id
        or claim.decider != Decider.owners
    ):
        raise EspaceError(404, _("Cette demande n'existe pas."))
    approve = form.get("decision") == "accept"
    decider = requests.Decision(
        principal.user_id, principal.email, principal.name or principal.email
    )
    try:
        requests.decide(
            session, claim, decider, approve, str(form.get("message") or ""), settings
        )
    except requests.RequestError as error:
        raise EspaceError(error.status, str(error)) from error
    notice = "demande-acceptee" if approve else "demande-refusee"
    return back_to(f"/{lang}/espace/structures/{organization_id}", notice)
