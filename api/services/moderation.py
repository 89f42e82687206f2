"""Optional moderation per territory: partner changes to published services wait
for a coordinator's approval; the public keeps seeing the approved version.

Scope (a choice, written down): services are moderated — creating a published
service holds it as ``pending``, and updates or deletes of a published service
are queued. Places, permanences and closures are applied at once: they carry
no wording a coordinator checks, and a closure must show the same day.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from pydantic_core import to_jsonable_python
from sqlmodel import Session, col, select

from api.i18n import _
from api.models import (
    ChangeAction,
    Organization,
    PendingChange,
    ReviewStatus,
    Service,
    ServiceStatus,
    User,
    utcnow,
)
from api.models.partner import ServiceIn
from api.services import links, mail
from api.services.revisions import Actor, save
from api.services.write_values import apply
from api.settings import Settings


class ReviewError(ValueError):
    pass


def holds(row: Any) -> bool:
    """Whether a write to this row must wait for approval (when moderated)."""
    return isinstance(row, Service) and row.status == ServiceStatus.published


def queue(
    session: Session,
    organization_id: uuid.UUID,
    row: Any,
    action: ChangeAction,
    actor: Actor,
    values: dict[str, Any] | None = None,
) -> PendingChange:
    """Hold a change for review; the same change sent again waits once
    (imports are repeated, forms are sent twice)."""
    wanted = to_jsonable_python(values or {})
    for change in session.exec(
        select(PendingChange).where(
            PendingChange.entity_id == row.id,
            PendingChange.status == ReviewStatus.pending,
            PendingChange.action == action,
        )
    ).all():
        if change.values == wanted:
            return change
    change = PendingChange(
        organization_id=organization_id,
        entity_type=type(row).__tablename__,
        entity_id=row.id,
        action=action,
        base_version=row.version,
        values=wanted,
        actor_type=actor.type,
        actor_id=actor.id,
        actor_label=actor.label,
    )
    session.add(change)
    return change


def pending_counts(session: Session, organization_id: uuid.UUID) -> Counter[uuid.UUID]:
    return Counter(
        session.exec(
            select(PendingChange.entity_id).where(
                PendingChange.organization_id == organization_id,
                PendingChange.status == ReviewStatus.pending,
            )
        ).all()
    )


def review_queue(
    session: Session, organization_ids: set[uuid.UUID] | None
) -> list[tuple[PendingChange, Organization, Service | None]]:
    """Pending changes, oldest first; ``None`` means every organisation."""
    query = (
        select(PendingChange, Organization)
        .join(Organization)
        .where(PendingChange.status == ReviewStatus.pending)
        .order_by(col(PendingChange.created_at))
    )
    if organization_ids is not None:
        query = query.where(col(PendingChange.organization_id).in_(organization_ids))
    return [
        (change, org, session.get(Service, change.entity_id))
        for change, org in session.exec(query).all()
    ]


def approve(session: Session, change: PendingChange, reviewer: Actor) -> Service:
    """Apply the change as its author wrote it; refused when the listing changed
    since (the author must redo it on the current version)."""
    if change.status != ReviewStatus.pending:
        raise ReviewError(_("Cette modification a déjà été traitée."))
    service = session.get(Service, change.entity_id)
    if service is None:
        raise ReviewError(_("Cette fiche n'existe plus."))
    if service.version != change.base_version and change.action != "publish":
        raise ReviewError(
            _("La fiche a changé depuis cette demande : refusez-la avec un message.")
        )
    author = Actor(
        change.actor_type,  # type: ignore[arg-type]
        _("%(author)s, validé par %(reviewer)s")
        % {"author": change.actor_label, "reviewer": reviewer.label},
        change.actor_id,
    )
    if change.action == ChangeAction.publish:
        service.status = ServiceStatus.published
    elif change.action == ChangeAction.delete:
        service.deleted_at = utcnow()
    else:
        apply(service, change.organization_id, ServiceIn.model_validate(change.values))
    save(session, service, author)
    _close(change, ReviewStatus.approved, reviewer, None)
    session.add(change)
    session.commit()
    return service


def reject(
    session: Session, change: PendingChange, reviewer: Actor, message: str
) -> None:
    if change.status != ReviewStatus.pending:
        raise ReviewError(_("Cette modification a déjà été traitée."))
    message = message.strip()
    if not message:
        raise ReviewError(_("Expliquez le refus en quelques mots."))
    if change.action == ChangeAction.publish:
        service = session.get(Service, change.entity_id)
        if service is not None and service.status == ServiceStatus.pending:
            service.status = ServiceStatus.draft
            save(session, service, reviewer)
    _close(change, ReviewStatus.rejected, reviewer, message[:2000])
    session.add(change)
    session.commit()


def _close(
    change: PendingChange, status: ReviewStatus, reviewer: Actor, message: str | None
) -> None:
    change.status = status
    change.reviewer_label = reviewer.label
    change.reviewed_at = utcnow()
    change.message = message


def tell_author(
    session: Session, change: PendingChange, settings: Settings, locale: str
) -> None:
    """Mail the author (a person, not a token) the coordinator's decision."""
    if change.actor_type != "user" or change.actor_id is None:
        return
    author = session.get(User, change.actor_id)
    service = session.get(Service, change.entity_id)
    if author is None or service is None:
        return
    subject, text = mail.render_mail(
        "moderation.txt",
        locale,
        name=service.name,
        approved=change.status == ReviewStatus.approved,
        message=change.message or "",
        link=links.absolute(f"/{locale}/services/{service.id}", settings),
    )
    mail.send(mail.Mail(to=author.email, subject=subject, text=text), settings)
