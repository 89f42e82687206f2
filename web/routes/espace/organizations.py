"""The partner space's home, an organisation's dashboard and settings:
its details, "still valid" confirmation, members, invitations, API tokens
and the audit log."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, select

from api.deps import SessionDep, SettingsDep
from api.i18n import _
from api.models import (
    ApiToken,
    AuditKind,
    Organization,
    PendingChange,
    Role,
    utcnow,
)
from api.models.partner import OrganizationIn
from api.services.accounts import access, audit, members
from api.services.accounts.access import Principal
from api.services.accounts.audit import Actor
from api.services.accounts.auth import TOKEN_SCOPES, issue_token
from api.services.listings.history import PARIS
from api.services.onboarding import requests as onboarding_requests
from api.services.partner import change_reports, editing, org_deletion
from api.services.partner.dashboard import dashboard
from api.services.referrals import listing as referral_listing
from web.model_forms import display_values, form_values, validate
from web.routes.common import PageLang
from web.routes.espace.common import (
    EspaceError,
    back_to,
    conflict_message,
    notice_of,
    organization_for,
    page,
)
from web.routes.espace.session import FormDep, PrincipalDep

router = APIRouter(include_in_schema=False)


@router.get("/{lang}/espace/")
def home(
    request: Request, lang: PageLang, session: SessionDep, principal: PrincipalDep
) -> Response:
    organizations = access.organizations_of(session, principal)
    if len(organizations) == 1 and not principal.is_coordinator:
        return back_to(f"/{lang}/espace/structures/{organizations[0].id}")
    return page(
        request,
        "espace/home.html",
        lang,
        principal,
        organizations=organizations,
        notice=notice_of(request),
    )


@router.get("/{lang}/espace/structures/{organization_id}")
def organization_dashboard(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
) -> HTMLResponse:
    organization = organization_for(session, principal, organization_id, Role.reader)
    return dashboard_page(request, lang, session, principal, organization)


def dashboard_page(
    request: Request,
    lang: str,
    session: Session,
    principal: Principal,
    organization: Organization,
    status: int = 200,
    **forms: object,
) -> HTMLResponse:
    """The dashboard, also shown again with a failed form's errors (``forms``)."""
    can_review = access.can_review(principal, organization.id)
    role = access.role_for(principal, organization.id)
    return page(
        request,
        "espace/dashboard.html",
        lang,
        principal,
        status=status,
        board=dashboard(session, organization),
        role=role,
        can_review=can_review,
        invitations=(
            members.pending_invitations(session, organization.id)
            if role == Role.owner
            else []
        ),
        can_read_audit=can_read_audit(principal, organization.id),
        deletion_request=(
            org_deletion.waiting(session, organization.id)
            if role == Role.owner
            else None
        ),
        claims=(
            onboarding_requests.pending_for_owners(session, organization.id)
            if role == Role.owner
            else []
        ),
        reports_waiting=change_reports.waiting(session, organization.id),
        # Referrals are the two organisations' business: members only.
        referrals_waiting=(
            referral_listing.waiting_count(session, [organization.id])
            if organization.id in principal.roles
            else None
        ),
        notice=notice_of(request),
        **forms,
    )


@router.get("/{lang}/espace/structures/{organization_id}/modifier")
def organization_form(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
) -> HTMLResponse:
    organization = organization_for(session, principal, organization_id, Role.editor)
    return page(
        request,
        "espace/organization_form.html",
        lang,
        principal,
        organization=organization,
        values=display_values(organization, OrganizationIn),
        version=organization.version,
        errors={},
    )


@router.post("/{lang}/espace/structures/{organization_id}/modifier")
def organization_post(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization = organization_for(session, principal, organization_id, Role.editor)
    read = str(form.get("version") or "")  # the version the person edited
    values = form_values(OrganizationIn, form)
    data, errors = validate(OrganizationIn, values)
    status = 400
    if data is not None:
        # The listings' locking: If-Match check, then a versioned UPDATE.
        try:
            editing.expected_version(read, organization)
            writer = access.writer(session, principal, organization_id)
            result = editing.update_organization(session, writer, organization, data)
            held = isinstance(result, PendingChange)  # moderated: name, description
            notice = "en-attente" if held else "enregistre"
            return back_to(f"/{lang}/espace/structures/{organization_id}", notice)
        except editing.PartnerError:
            session.rollback()
            status, errors = 409, {"": conflict_message()}
    return page(
        request,
        "espace/organization_form.html",
        lang,
        principal,
        status=status,
        organization=organization,
        values=values,
        # After a conflict the person has seen the newer version; otherwise
        # keep the one they read, so a later save is still checked against it.
        version=organization.version if status == 409 else read,
        errors=errors,
    )


@router.post("/{lang}/espace/structures/{organization_id}/confirmer")
def confirm_post(
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization_for(session, principal, organization_id, Role.editor)
    ids = [uuid.UUID(str(v)) for v in form.getlist("service_id") if _is_uuid(v)]
    writer = access.writer(session, principal, organization_id)
    try:
        editing.confirm(session, writer, ids or None)
    except editing.PartnerError as error:
        raise EspaceError(400, str(error)) from error
    return back_to(f"/{lang}/espace/structures/{organization_id}", "confirme")


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@router.post("/{lang}/espace/structures/{organization_id}/membres")
def invite_post(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization = organization_for(session, principal, organization_id, Role.owner)
    try:
        role = Role(str(form.get("role")))
        members.send_invite(
            session,
            organization,
            str(form.get("email") or ""),
            role,
            actor_of(principal),
            principal.name or principal.email,
            settings,
            lang,
        )
    except (ValueError, members.AccountError) as error:
        message = getattr(error, "message", _("Choisissez un rôle."))
        return dashboard_page(
            request,
            lang,
            session,
            principal,
            organization,
            status=400,
            invite_errors={"email": message},
            invite_values={"email": form.get("email"), "role": form.get("role")},
        )
    return back_to(f"/{lang}/espace/structures/{organization_id}", "invite")


@router.post("/{lang}/espace/structures/{organization_id}/membres/{user_id}")
def member_post(
    lang: PageLang,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization_for(session, principal, organization_id, Role.owner)
    wanted = str(form.get("role") or "")
    roles = {r.value: r for r in Role}
    if wanted != "remove" and wanted not in roles:
        raise EspaceError(400, _("Choisissez un rôle."))
    role = roles.get(wanted)
    try:
        members.set_role(session, organization_id, user_id, role, actor_of(principal))
    except members.AccountError as error:
        raise EspaceError(409, error.message) from error
    return back_to(f"/{lang}/espace/structures/{organization_id}", "membre")


@router.post("/{lang}/espace/structures/{organization_id}/jetons")
def token_post(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization = organization_for(session, principal, organization_id, Role.owner)
    name = str(form.get("token-name") or "").strip()
    scopes = [s for s in form.getlist("token-scopes") if s in TOKEN_SCOPES]
    errors = {}
    if not name or len(name) > 100:
        errors["token-name"] = _("Donnez un nom de 1 à 100 caractères.")
    if not scopes:
        errors["token-scopes"] = _("Choisissez au moins un droit.")
    if errors:
        return dashboard_page(
            request,
            lang,
            session,
            principal,
            organization,
            status=400,
            token_errors=errors,
        )
    issued = issue_token(session, organization, name, scopes, principal.user_id)
    audit.record(
        session,
        [organization.id],
        AuditKind.token_created,
        actor_of(principal),
        subject=name,
        detail=",".join(sorted(scopes)),
    )
    session.commit()
    # Shown once, on this response only: never stored in clear, never redirected.
    return page(
        request,
        "espace/token_created.html",
        lang,
        principal,
        organization=organization,
        secret=issued.secret,
        token=issued.row,
    )


@router.post("/{lang}/espace/structures/{organization_id}/jetons/{token_id}/revoquer")
def token_revoke(
    lang: PageLang,
    organization_id: uuid.UUID,
    token_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization_for(session, principal, organization_id, Role.owner)
    token = session.exec(
        select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.organization_id == organization_id
        )
    ).first()
    if token is None:
        raise EspaceError(404, _("Ce jeton n'existe pas."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        audit.record(
            session,
            [organization_id],
            AuditKind.token_revoked,
            actor_of(principal),
            subject=token.name,
        )
        session.commit()
    return back_to(f"/{lang}/espace/structures/{organization_id}", "jeton-revoque")


@router.post(
    "/{lang}/espace/structures/{organization_id}/invitations/{invitation_id}/annuler"
)
def invitation_revoke(
    lang: PageLang,
    organization_id: uuid.UUID,
    invitation_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization_for(session, principal, organization_id, Role.owner)
    try:
        members.revoke_invite(
            session, organization_id, invitation_id, actor_of(principal)
        )
    except members.AccountError as error:
        raise EspaceError(404, error.message) from error
    return back_to(f"/{lang}/espace/structures/{organization_id}", "invitation-annulee")


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.user_id, principal.email)


def can_read_audit(principal: Principal, organization_id: uuid.UUID) -> bool:
    """Owners and the organisation's coordinators (not a coordinator's
    editor rights elsewhere, not plain members)."""
    return principal.roles.get(organization_id) == Role.owner or access.can_review(
        principal, organization_id
    )


@router.get("/{lang}/espace/structures/{organization_id}/journal")
def audit_log(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    organization = organization_for(session, principal, organization_id, Role.reader)
    if not can_read_audit(principal, organization_id):
        raise EspaceError(
            403, _("Vous n'avez pas accès à cette action pour cette structure.")
        )
    return page(
        request,
        "espace/audit.html",
        lang,
        principal,
        organization=organization,
        log=audit.events(session, organization_id, page_number),
        label=audit.label,
        tz=PARIS,
    )
