"""Reports from the public (« Signaler un changement ») where they are handled:
the owning organisation's list (/{lang}/espace/structures/{id}/signalements)
and the coordinators' queue (/{lang}/coordination/signalements).

Members of the organisation read its reports; editors and owners change
their status. Coordinators see and change those of their territory's
organisations only: another territory's report is a 404, like a missing one.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.i18n import _
from api.models import ChangeReport, ReportStatus, Role
from api.services.accounts import access
from api.services.accounts.access import Principal
from api.services.partner import change_reports as reports
from web.routes.common import PageLang
from web.routes.espace.common import EspaceError, back_to, organization_for, page
from web.routes.espace.session import FormDep, PrincipalDep

router = APIRouter(include_in_schema=False)

DONE = "signalement"


def _coordinator(request: Request, session: SessionDep) -> Principal:
    """The coordinators' space's own check (imported here, not at the top:
    that package imports the partner space, which includes this module)."""
    from web.routes.coordination.common import current_coordinator

    return current_coordinator(request, session)


CoordinatorDep = Annotated[Principal, Depends(_coordinator)]


def _status(value: str | None) -> ReportStatus | None:
    try:
        return ReportStatus(value) if value else None
    except ValueError:
        return None


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "1")
    return int(text) if text.isdigit() and len(text) < 6 else 1


def _context(request: Request, found: reports.ReportPage) -> dict[str, Any]:
    return {
        "found": found,
        "status_filter": request.query_params.get("statut", ""),
        "notice": (
            _("Statut du signalement mis à jour.")
            if request.query_params.get("fait") == DONE
            else None
        ),
    }


@router.get("/{lang}/espace/structures/{organization_id}/signalements")
def organization_reports(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
) -> HTMLResponse:
    return _organization_page(request, lang, organization_id, session, principal)


def _organization_page(
    request: Request,
    lang: str,
    organization_id: uuid.UUID,
    session: Any,
    principal: Principal,
    error: str | None = None,
) -> HTMLResponse:
    organization = organization_for(session, principal, organization_id, Role.reader)
    found = reports.of_organization(
        session,
        organization.id,
        _status(request.query_params.get("statut")),
        _page_number(request),
    )
    return page(
        request,
        "reports/organization.html",
        lang,
        principal,
        status=409 if error else 200,
        organization=organization,
        can_edit=access.has_role(principal, organization.id, Role.editor),
        action_base=f"/{lang}/espace/structures/{organization.id}/signalements",
        error=error,
        **_context(request, found),
    )


@router.post("/{lang}/espace/structures/{organization_id}/signalements/{report_id}")
def organization_report_status(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    report_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization_for(session, principal, organization_id, Role.editor)
    report = reports.find(session, report_id, organization_id)
    if report is None:
        raise EspaceError(404, _("Ce signalement n'existe pas."))
    error = _change(session, principal, report, form)
    if error:
        return _organization_page(
            request, lang, organization_id, session, principal, error
        )
    return back_to(f"/{lang}/espace/structures/{organization_id}/signalements", DONE)


def _change(
    session: Any, principal: Principal, report: ChangeReport, form: Any
) -> str | None:
    who = principal.name or principal.email
    return reports.set_status(
        session, report, form.get("status"), form.get("version"), who
    )


@router.get("/{lang}/coordination/signalements")
def territory_reports(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    principal: CoordinatorDep,
) -> HTMLResponse:
    return _territory_page(request, lang, session, principal)


def _territory_page(
    request: Request,
    lang: str,
    session: Any,
    principal: Principal,
    error: str | None = None,
) -> HTMLResponse:
    found = reports.of_territory(
        session,
        principal,
        _status(request.query_params.get("statut")),
        _page_number(request),
    )
    return page(
        request,
        "reports/coordination.html",
        lang,
        principal,
        status=409 if error else 200,
        can_edit=True,
        action_base=f"/{lang}/coordination/signalements",
        error=error,
        **_context(request, found),
    )


@router.post("/{lang}/coordination/signalements/{report_id}")
def territory_report_status(
    request: Request,
    lang: PageLang,
    report_id: uuid.UUID,
    session: SessionDep,
    principal: CoordinatorDep,
    form: FormDep,
) -> Response:
    report = reports.find(session, report_id, None)
    if report is None or not access.can_review(principal, report.organization_id):
        raise EspaceError(404, _("Ce signalement n'existe pas."))
    error = _change(session, principal, report, form)
    if error:
        return _territory_page(request, lang, session, principal, error)
    return back_to(f"/{lang}/coordination/signalements", DONE)
