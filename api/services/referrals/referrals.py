"""Sending a referral, who may see and act on it, its decisions and history.

Only the two organisations see a referral: members of the sending one (any
role) and of the receiving one (any role). Readers see but do not act; the
receiving organisation's editors and owners accept, decline (with a reason)
or close it. Coordinators and the superadmin are not parties: to them, as to
any third organisation, a referral does not exist (404).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from api.i18n import _
from api.models import (
    Organization,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Role,
    Service,
    ServiceStatus,
    utcnow,
)
from api.services.accounts.access import RANK, Principal
from api.services.referrals import crypto
from api.services.referrals.forms import ReferralForm, check_reason
from api.settings import Settings


class ReferralNotFound(LookupError):
    """Missing, or not shown to this person: the same answer for both."""


class ReferralRefused(ValueError):
    """Not allowed now (wrong role, wrong state, stale form): said in words."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


# What the receiving organisation may do from each state.
NEXT = {
    "accept": (ReferralStatus.accepted, {ReferralStatus.sent}),
    "decline": (
        ReferralStatus.declined,
        {ReferralStatus.sent, ReferralStatus.accepted},
    ),
    "close": (ReferralStatus.closed, {ReferralStatus.sent, ReferralStatus.accepted}),
}


@dataclass(frozen=True)
class Seen:
    """A referral as one of its parties sees it, the person's fields opened."""

    referral: Referral
    service: Service
    sender: Organization
    receiver: Organization
    need: str | None
    first_name: str | None
    contact: str | None
    is_sender: bool
    may_act: bool


@dataclass(frozen=True)
class Step:
    at: datetime
    status: ReferralStatus
    actor_label: str
    organization_name: str
    reason: str | None


def member_role(principal: Principal, organization_id: uuid.UUID) -> Role | None:
    """A real membership: a coordinator's reach over the territory does not count."""
    return principal.roles.get(organization_id)


def sending_organizations(session: Session, principal: Principal) -> list[Organization]:
    """The live organisations this person may send from (any membership)."""
    if not principal.roles:
        return []
    return list(
        session.exec(
            select(Organization)
            .where(
                col(Organization.id).in_(list(principal.roles)),
                col(Organization.deleted_at).is_(None),
            )
            .order_by(col(Organization.name))
        ).all()
    )


def target_service(session: Session, service_id: uuid.UUID) -> Service | None:
    """A published, live service of a live organisation, or None."""
    service = session.get(Service, service_id)
    if (
        service is None
        or service.deleted_at is not None
        or service.status != ServiceStatus.published
    ):
        return None
    owner = session.get(Organization, service.organization_id)
    return service if owner is not None and owner.deleted_at is None else None


def send(
    session: Session, principal: Principal, form: ReferralForm, settings: Settings
) -> Referral:
    """A new referral (the caller commits)."""
    if member_role(principal, form.organization_id) is None:
        raise ReferralRefused(_("Vous n'êtes pas membre de cette structure."), 403)
    service = target_service(session, form.service_id)
    if service is None:
        raise ReferralNotFound(form.service_id)
    consent = form.consent and bool(form.first_name or form.contact)
    referral = Referral(
        service_id=service.id,
        sender_organization_id=form.organization_id,
        receiver_organization_id=service.organization_id,
        sender_user_id=principal.user_id,
        sender_label=principal.actor.label[:254],
        theme=form.theme,
        urgency=form.urgency,
        languages=form.languages,
        status=ReferralStatus.sent,
        consent=consent,
        need_secret=crypto.seal(form.need, settings),
        first_name_secret=crypto.seal(form.first_name, settings) if consent else None,
        contact_secret=crypto.seal(form.contact, settings) if consent else None,
    )
    session.add(referral)
    session.add(
        _event(
            referral, ReferralStatus.sent, referral.sender_organization_id, principal
        )
    )
    return referral


def _event(
    referral: Referral,
    status: ReferralStatus,
    organization_id: uuid.UUID,
    principal: Principal,
    reason_secret: str | None = None,
) -> ReferralEvent:
    return ReferralEvent(
        referral_id=referral.id,
        status=status,
        organization_id=organization_id,
        actor_label=principal.actor.label[:254],
        reason_secret=reason_secret,
    )


def seen_by(
    session: Session, principal: Principal, referral_id: uuid.UUID, settings: Settings
) -> Seen:
    """The referral if this person belongs to one of its two organisations."""
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise ReferralNotFound(referral_id)
    sender_role = member_role(principal, referral.sender_organization_id)
    receiver_role = member_role(principal, referral.receiver_organization_id)
    if sender_role is None and receiver_role is None:
        raise ReferralNotFound(referral_id)
    service = session.get(Service, referral.service_id)
    sender = session.get(Organization, referral.sender_organization_id)
    receiver = session.get(Organization, referral.receiver_organization_id)
    assert service is not None and sender is not None and receiver is not None
    return Seen(
        referral,
        service,
        sender,
        receiver,
        crypto.unseal(referral.need_secret, settings),
        crypto.unseal(referral.first_name_secret, settings),
        crypto.unseal(referral.contact_secret, settings),
        is_sender=sender_role is not None,
        may_act=receiver_role is not None and RANK[receiver_role] >= RANK[Role.editor],
    )


def decide(
    session: Session,
    principal: Principal,
    seen: Seen,
    action: str,
    version: str,
    reason: str,
    settings: Settings,
) -> Referral:
    """Accept, decline or close (the caller commits). ValueError: a bad
    reason; ReferralRefused: not this person's to do, or not from this state."""
    referral = seen.referral
    if not seen.may_act:
        raise ReferralRefused(
            _(
                "Seuls les rédacteurs et responsables de la structure qui "
                "reçoit peuvent répondre."
            ),
            403,
        )
    if action not in NEXT:
        raise ReferralRefused(_("Action inconnue."), 400)
    if version != str(referral.version):
        raise ReferralRefused(answered_meanwhile())
    status, allowed_from = NEXT[action]
    if referral.status not in allowed_from:
        raise ReferralRefused(_("Cette orientation n'attend plus cette réponse."))
    sealed = (
        crypto.seal(check_reason(reason), settings) if action == "decline" else None
    )
    referral.status = status
    referral.updated_at = utcnow()
    session.add(referral)
    session.add(
        _event(referral, status, referral.receiver_organization_id, principal, sealed)
    )
    return referral


def answered_meanwhile() -> str:
    return _(
        "Quelqu'un a répondu à cette orientation pendant que vous la "
        "lisiez. Relisez-la."
    )


def erase_now(session: Session, principal: Principal, seen: Seen, version: str) -> None:
    """Erase the person's data of this referral at once (commits): the
    receiving organisation's editors, or any member of the sending one."""
    if not (seen.may_act or seen.is_sender):
        raise ReferralRefused(
            _(
                "Seuls les rédacteurs et responsables de la structure qui "
                "reçoit, ou la structure qui oriente, peuvent effacer."
            ),
            403,
        )
    if version != str(seen.referral.version):
        raise ReferralRefused(answered_meanwhile())
    from api.services.referrals.purge import erase

    erase(session, [seen.referral.id], utcnow())


def history(session: Session, seen: Seen, settings: Settings) -> list[Step]:
    names = {seen.sender.id: seen.sender.name, seen.receiver.id: seen.receiver.name}
    events = session.exec(
        select(ReferralEvent)
        .where(ReferralEvent.referral_id == seen.referral.id)
        .order_by(col(ReferralEvent.at))
    ).all()
    return [
        Step(
            e.at,
            e.status,
            e.actor_label,
            names.get(e.organization_id, ""),
            crypto.unseal(e.reason_secret, settings),
        )
        for e in events
    ]
