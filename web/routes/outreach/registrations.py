"""/{lang}/aller-vers/frequentation: a structure's new registrations and first
visits per month (reporting a month again corrects it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.services.accounts.access import Principal
from api.services.outreach import registrations
from api.services.outreach.registrations import RegistrationIn
from web.routes.common import PageLang
from web.routes.espace.session import FormDep, PrincipalDep
from web.routes.outreach.common import (
    choices,
    handle_form,
    only_organization,
    outreach_page,
    page_number,
)

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    lang: str,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    number = page_number(request.query_params.get("page", "1"))
    listed = registrations.listed(session, principal, number)
    options = choices(session, principal, lang)
    return outreach_page(
        request,
        "outreach/registrations.html",
        lang,
        principal,
        status=status,
        values=values,
        errors=errors,
        listed=listed,
        names=dict(options["partners"]),
        qpv_names={q.code: q.name for q in options["qpvs"]},
        **options,
    )


@router.get("/{lang}/aller-vers/frequentation")
def registrations_page(
    request: Request, lang: PageLang, session: SessionDep, principal: PrincipalDep
) -> HTMLResponse:
    values = {
        "month": f"{date.today():%Y-%m}",
        "organization_id": only_organization(session, principal),
    }
    return _page(request, lang, session, principal, values, {})


@router.post("/{lang}/aller-vers/frequentation")
def registrations_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    return handle_form(
        session,
        form,
        RegistrationIn,
        lambda data: registrations.report(session, principal, data),
        (f"/{lang}/aller-vers/frequentation", "frequentation"),
        lambda values, errors: _page(
            request, lang, session, principal, values, errors, 400
        ),
    )
