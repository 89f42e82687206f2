"""/{lang}/aller-vers/droits: the anonymous rights check (a questionnaire with
no name, no contact and no free text about the person)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.services.accounts.access import Principal
from api.services.outreach import rights_check
from api.services.outreach.rights_check import RightsCheckIn
from web.routes.common import PageLang
from web.routes.espace.session import FormDep, PrincipalDep
from web.routes.outreach.common import (
    choices,
    handle_form,
    new_entry,
    outreach_page,
    require_logger,
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
    return outreach_page(
        request,
        "outreach/rights.html",
        lang,
        principal,
        status=status,
        values=values,
        errors=errors,
        done=rights_check.count_visible(session, principal),
        **choices(session, principal, lang),
    )


@router.get("/{lang}/aller-vers/droits")
def rights_form(
    request: Request, lang: PageLang, session: SessionDep, principal: PrincipalDep
) -> HTMLResponse:
    require_logger(principal)
    values = new_entry(session, principal)
    return _page(request, lang, session, principal, values, {})


@router.post("/{lang}/aller-vers/droits")
def rights_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    require_logger(principal)
    return handle_form(
        session,
        form,
        RightsCheckIn,
        lambda data: rights_check.record(session, principal, data),
        (f"/{lang}/aller-vers/droits", "diagnostic"),
        lambda values, errors: _page(
            request, lang, session, principal, values, errors, 400
        ),
    )
