"""The audit log: security events of each organisation, append-only.

Recorded: sign-ins (success and failure) of its members, password resets,
"sign out everywhere", invitations (sent, accepted, revoked), role changes,
removals, API tokens (created, revoked), moderation decisions. Shown to the
organisation's owners and to its coordinators. No IP address is ever kept
(rate limits hold them in memory or Redis for their window only).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from api.i18n import _
from api.models import AuditEvent, AuditKind, Membership, User

PER_PAGE = 50


@dataclass(frozen=True)
class Actor:
    """Who did it: an account, by id and by address (the line stays readable
    once the account is gone)."""

    user_id: uuid.UUID
    email: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.email)


def record(
    session: Session,
    organization_ids: Iterable[uuid.UUID],
    kind: AuditKind,
    actor: Actor | None = None,
    subject: str = "",
    detail: str = "",
) -> None:
    """One line per organisation, in the caller's transaction."""
    for organization_id in organization_ids:
        session.add(
            AuditEvent(
                organization_id=organization_id,
                kind=kind,
                actor_id=actor.user_id if actor else None,
                actor_label=actor.email[:254] if actor else "",
                subject=subject[:254],
                detail=detail[:64],
            )
        )


def organizations_of(session: Session, user_id: uuid.UUID) -> list[uuid.UUID]:
    """Where an event about this user (signing in, a reset) is recorded."""
    return list(
        session.exec(
            select(Membership.organization_id).where(Membership.user_id == user_id)
        ).all()
    )


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    page: int
    pages: int


def events(session: Session, organization_id: uuid.UUID, page: int) -> AuditPage:
    """The organisation's events, newest first, ``PER_PAGE`` a page (from 1)."""
    where = col(AuditEvent.organization_id) == organization_id
    total = session.exec(select(func.count()).select_from(AuditEvent).where(where))
    pages = max(1, math.ceil(total.one() / PER_PAGE))
    page = min(max(page, 1), pages)
    rows = session.exec(
        select(AuditEvent)
        .where(where)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id))
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return AuditPage(list(rows), page, pages)


_LABELS: dict[AuditKind, Callable[[], str]] = {
    AuditKind.sign_in: lambda: _("Connexion"),
    AuditKind.sign_in_failed: lambda: _("Échec de connexion"),
    AuditKind.password_reset: lambda: _("Mot de passe réinitialisé"),
    AuditKind.signed_out_everywhere: lambda: _("Déconnexion de tous les appareils"),
    AuditKind.invitation_sent: lambda: _("Invitation envoyée"),
    AuditKind.invitation_accepted: lambda: _("Invitation acceptée"),
    AuditKind.invitation_revoked: lambda: _("Invitation annulée"),
    AuditKind.role_changed: lambda: _("Rôle modifié"),
    AuditKind.member_removed: lambda: _("Membre retiré"),
    AuditKind.token_created: lambda: _("Jeton d'API créé"),
    AuditKind.token_revoked: lambda: _("Jeton d'API révoqué"),
    AuditKind.change_approved: lambda: _("Modification validée"),
    AuditKind.change_rejected: lambda: _("Modification refusée"),
}


def label(kind: AuditKind | str) -> str:
    """The event's name in the current language."""
    return _LABELS[AuditKind(kind)]()
