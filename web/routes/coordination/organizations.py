"""The coordinators' « Structures » page (/{lang}/coordination/structures):
requests to join or claim waiting for them, organisations they create, and
the organisations of their territory, deleted or restored from here. A
coordinator only ever sees and acts on their own territory."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.i18n import _
from api.models import Decider, Organization, OrganizationRequest, Role
from api.services.accounts import members
from api.services.accounts.access import Principal
from api.services.accounts.audit import Actor as AuditActor
from api.services.onboarding import queue, requests, territory
from api.services.onboarding.form import commune_label
from api.services.onboarding.organizations import compact_siret, siret_error
from api.services.partner import org_deletion
from api.services.places.communes import names as commune_names
from api.services.places.communes import resolve_commune
from api.validation import clean_text
from web.routes.common import PageLang
from web.routes.coordination.common import CoordinatorDep, coordination_page
from web.routes.espace.common import EspaceError, back_to
from web.routes.espace.session import FormDep

router = APIRouter(include_in_schema=False)
PAGE = "/{lang}/coordination/structures"
NOTICES = {
    "acceptee": lambda: _("Demande acceptée : la personne est invitée par e-mail."),
    "refusee": lambda: _("Demande refusée : la personne est prévenue par e-mail."),
    "creee": lambda: _("Structure créée."),
    "supprimee": lambda: _("Structure supprimée : elle n'apparaît plus sur le site."),
    "restauree": lambda: _("Structure restaurée : elle est de nouveau sur le site."),
}


def _page(
    request: Request,
    lang: str,
    session: Session,
    principal: Principal,
    number: int = 1,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    notice = NOTICES.get(request.query_params.get("fait", ""))
    return coordination_page(
        request,
        "coordination/organizations.html",
        lang,
        principal,
        status=status,
        pending=queue.pending(session, principal),
        decided=queue.decided(session, principal),
        listing=queue.organizations(session, principal, number),
        commune_label=commune_label,
        communes=commune_names(),
        values=values or {},
        errors=errors or {},
        notice=notice() if notice else None,
    )


@router.get(PAGE)
def organizations_page(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    principal: CoordinatorDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    return _page(request, lang, session, principal, page_number)


@router.post(PAGE + "/demandes/{request_id}")
def decide_post(
    lang: PageLang,
    request_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: CoordinatorDep,
    form: FormDep,
) -> Response:
    """Approve (creates the organisation if new, invites the contact as its
    owner) or refuse with a message (mailed)."""
    found = session.get(OrganizationRequest, request_id)
    if found is None or found.decider != Decider.coordination:
        raise EspaceError(404, _("Cette demande n'existe pas."))
    if not territory.covers_request(session, principal, found):
        raise EspaceError(403, _("Cette demande n'est pas sur votre territoire."))
    approve = form.get("decision") == "approve"
    by = requests.Decision(
        principal.user_id, principal.email, principal.name or principal.email
    )
    try:
        requests.decide(
            session, found, by, approve, str(form.get("message") or ""), settings
        )
    except requests.RequestError as error:
        raise EspaceError(error.status, str(error)) from error
    return back_to(PAGE.format(lang=lang), "acceptee" if approve else "refusee")


def _new_values(form: FormDep) -> tuple[dict[str, str], dict[str, str]]:
    values = {
        k: str(form.get(k) or "").strip()
        for k in ("name", "commune", "siret", "owner_email")
    }
    errors: dict[str, str] = {}
    for name, value in values.items():
        try:
            clean_text(value)
        except ValueError as error:
            errors[name] = str(error)
    if "name" not in errors and not 0 < len(values["name"]) <= 200:
        errors["name"] = _("Ce champ est obligatoire (200 caractères au plus).")
    if "commune" not in errors and len(resolve_commune(values["commune"])) != 1:
        errors["commune"] = _(
            "Commune inconnue : choisissez-la dans la liste (nom ou code postal)."
        )
    if values["siret"] and "siret" not in errors:
        if problem := siret_error(values["siret"]):
            errors["siret"] = problem
    email = values["owner_email"]
    if email and "owner_email" not in errors and not members.EMAIL.match(email):
        errors["owner_email"] = _("Adresse e-mail invalide.")
    return values, errors


@router.post(PAGE + "/nouvelle")
def create_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    settings: SettingsDep,
    principal: CoordinatorDep,
    form: FormDep,
) -> Response:
    """Create an organisation in a commune of the territory; its first owner,
    when given, is invited by e-mail."""
    values, errors = _new_values(form)
    if not errors:
        insee = resolve_commune(values["commune"])[0]
        if not principal.is_superadmin and insee not in territory.communes_of(
            session, principal
        ):
            errors["commune"] = _("Cette commune n'est pas sur votre territoire.")
    if errors:
        return _page(
            request, lang, session, principal, status=400, values=values, errors=errors
        )
    siret = compact_siret(values["siret"]) if values["siret"] else None
    organization = queue.create_in_territory(
        session, principal.actor, values["name"], insee, siret
    )
    session.commit()
    if values["owner_email"]:
        members.send_invite(
            session,
            organization,
            values["owner_email"],
            Role.owner,
            AuditActor(principal.user_id, principal.email),
            principal.name or principal.email,
            settings,
            lang,
        )
    return back_to(PAGE.format(lang=lang), "creee")


def _organization(
    session: Session, principal: Principal, organization_id: uuid.UUID
) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise EspaceError(404, _("Cette structure n'existe pas."))
    if not territory.covers_organization(session, principal, organization_id):
        raise EspaceError(403, _("Cette structure n'est pas sur votre territoire."))
    return organization


@router.post(PAGE + "/{organization_id}/supprimer")
@router.post(PAGE + "/{organization_id}/restaurer")
def delete_or_restore_post(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: CoordinatorDep,
    form: FormDep,
) -> Response:
    """Soft-delete an organisation (everything under it leaves the public
    site; a waiting deletion request is settled) or bring it back."""
    organization = _organization(session, principal, organization_id)
    delete = request.url.path.endswith("/supprimer")
    if org_deletion.set_deleted(session, organization, principal.actor, delete):
        if delete and (waiting := org_deletion.waiting(session, organization.id)):
            org_deletion.decide(session, waiting, principal.actor, confirmed=True)
        session.commit()
    return back_to(PAGE.format(lang=lang), "supprimee" if delete else "restauree")
