"""Requests to join or to claim an organisation, and their decision.

A join request goes to the coordinators of the commune it names. A claim goes
to the organisation's current owners when it has some (shown on their
dashboard), else to the coordinators. Approving invites the contact as an
owner through the usual invitation (``accounts.members``); a join approval
creates the organisation first. Refusing mails the contact, with the
decider's message. Nothing is ever published from a request.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from api.i18n import _
from api.models import (
    CoordinatorScope,
    Decider,
    Membership,
    Organization,
    OrganizationRequest,
    RequestKind,
    RequestStatus,
    Role,
    User,
    utcnow,
)
from api.services.accounts import members
from api.services.accounts.audit import Actor as AuditActor
from api.services.coordination.scopes import coordinated_ids, territory_communes
from api.services.listings.revisions import Actor
from api.services.onboarding.form import RequestValues
from api.services.onboarding.organizations import create_organization
from api.services.places.communes import name_of
from api.services.system import mail
from api.settings import Settings
from api.validation import clean_text

MESSAGE_MAX = 2000
log = logging.getLogger("reperes.onboarding")


class RequestError(ValueError):
    """A decision that cannot be made; ``str()`` says why (translated)."""

    status = 409


class MessageError(RequestError):
    """The decider's message breaks the input policy: nothing was decided."""

    status = 400


@dataclass(frozen=True)
class Decision:
    """Who decides, as the audit log and the revision history name them."""

    user_id: uuid.UUID
    email: str
    label: str

    @property
    def actor(self) -> Actor:
        return Actor("user", self.label, self.user_id)


def has_owners(session: Session, organization_id: uuid.UUID) -> bool:
    return (
        session.exec(
            select(Membership.id).where(
                Membership.organization_id == organization_id,
                Membership.role == Role.owner,
            )
        ).first()
        is not None
    )


def submit(
    session: Session,
    values: RequestValues,
    lang: str,
    claimed: Organization | None = None,
) -> tuple[OrganizationRequest, bool]:
    """Store a request (the caller commits) and say whether it is new: the
    same contact asking again for the same structure while it waits keeps
    one request."""
    query = select(OrganizationRequest).where(
        OrganizationRequest.status == RequestStatus.pending,
        OrganizationRequest.contact_email == values.contact_email,
        OrganizationRequest.name == values.name,
    )
    existing = session.exec(query).first()
    if existing is not None:
        return existing, False
    decider = Decider.coordination
    if claimed is not None and has_owners(session, claimed.id):
        decider = Decider.owners
    request = OrganizationRequest(
        kind=RequestKind.claim if claimed else RequestKind.join,
        decider=decider,
        organization_id=claimed.id if claimed else None,
        lang=lang,
        **values.__dict__,
    )
    session.add(request)
    return request, True


def pending_for_owners(
    session: Session, organization_id: uuid.UUID
) -> list[OrganizationRequest]:
    """Claims on this organisation waiting for its owners."""
    return list(
        session.exec(
            select(OrganizationRequest)
            .where(
                OrganizationRequest.organization_id == organization_id,
                OrganizationRequest.decider == Decider.owners,
                OrganizationRequest.status == RequestStatus.pending,
            )
            .order_by(col(OrganizationRequest.created_at))
        ).all()
    )


def clean_message(text: str) -> str:
    """The decider's message: one input policy, bounded (RequestError)."""
    try:
        text = clean_text(text.strip(), multiline=True)
    except ValueError as error:
        raise MessageError(str(error)) from error
    if len(text) > MESSAGE_MAX:
        raise MessageError(_("%(n)s caractères au plus.") % {"n": MESSAGE_MAX})
    return text


def decide(
    session: Session,
    request: OrganizationRequest,
    by: Decision,
    approve: bool,
    message: str,
    settings: Settings,
) -> Organization | None:
    """Approve (returns the organisation the contact is invited to) or refuse
    (mails the contact); commits."""
    message = clean_message(message)
    if request.status != RequestStatus.pending:
        raise RequestError(_("Cette demande a déjà été traitée."))
    request.status = RequestStatus.approved if approve else RequestStatus.rejected
    request.decided_at = utcnow()
    request.decided_by = by.label
    request.message = message or None
    session.add(request)
    if not approve:
        session.commit()
        _mail_refusal(request, settings)
        return None
    organization = _organization_of(session, request, by)
    members.send_invite(  # commits
        session,
        organization,
        request.contact_email,
        Role.owner,
        AuditActor(by.user_id, by.email),
        by.label,
        settings,
        request.lang,
    )
    return organization


def _organization_of(
    session: Session, request: OrganizationRequest, by: Decision
) -> Organization:
    if request.organization_id is not None:
        organization = session.get(Organization, request.organization_id)
        if organization is None or organization.deleted_at is not None:
            raise RequestError(_("Cette structure n'existe plus."))
        return organization
    organization = create_organization(
        session,
        request.name,
        by.actor,
        siret=request.siret,
        description=request.description,
    )
    request.organization_id = organization.id
    session.add(request)
    return organization


def _mail_refusal(request: OrganizationRequest, settings: Settings) -> None:
    subject, text = mail.render_mail(
        "onboarding_refused.txt",
        request.lang,
        name=request.name,
        claim=request.kind == RequestKind.claim,
        message=request.message,
    )
    mail.send(mail.Mail(to=request.contact_email, subject=subject, text=text), settings)


def recipients(session: Session, request: OrganizationRequest) -> list[str]:
    """Who decides this request, by address: the organisation's owners, or
    the coordinators whose territory covers its commune (or, for a claim, the
    organisation)."""
    if request.decider == Decider.owners:
        query = (
            select(User.email)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(
                Membership.organization_id == request.organization_id,
                Membership.role == Role.owner,
                col(User.is_active),
            )
        )
        return sorted(set(session.exec(query).all()))
    found: set[str] = set()
    for scope, user in session.exec(
        select(CoordinatorScope, User)
        .join(User, col(User.id) == CoordinatorScope.user_id)
        .where(col(User.is_active), col(User.deleted_at).is_(None))
    ).all():
        if request.insee_code in territory_communes(session, (scope,)) or (
            request.organization_id is not None
            and request.organization_id in coordinated_ids(session, (scope,))
        ):
            found.add(user.email)
    return sorted(found)


def notify(session: Session, request: OrganizationRequest, settings: Settings) -> None:
    """Tell the deciders a request waits (a failed mail is logged, not raised:
    the request is kept and shows in their queue anyway)."""
    commune = name_of(request.insee_code) or request.insee_code
    path = (
        f"/fr/espace/structures/{request.organization_id}"
        if request.decider == Decider.owners
        else "/fr/coordination/structures"
    )
    subject, text = mail.render_mail(
        "onboarding_new.txt",
        "fr",
        name=request.name,
        commune=commune,
        claim=request.kind == RequestKind.claim,
        link=settings.base_url.rstrip("/") + path,
    )
    for address in recipients(session, request):
        try:
            mail.send(mail.Mail(to=address, subject=subject, text=text), settings)
        except (OSError, smtplib.SMTPException):
            log.warning("onboarding: the mail to a decider failed", exc_info=True)
