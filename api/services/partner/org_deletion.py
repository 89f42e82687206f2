"""Deleting an organisation (soft, restorable): one of its owners asks, a
coordinator of its territory (or the superadmin) confirms; the CLI can do both
at once (``reperes delete-org`` / ``restore-org``).

A deleted organisation hides everything under it publicly — services, places,
pages, API, exports, HSDS — by the single rule in ``search.sql.listed`` and the
search index (rebuilt for its services on commit); its rows and history stay,
so restoring it brings everything back as it was.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from api.i18n import _
from api.models import DeletionRequest, Organization, utcnow
from api.services.listings.revisions import Actor, save


class DeletionError(ValueError):
    pass


def waiting(session: Session, organization_id: uuid.UUID) -> DeletionRequest | None:
    """The open request for this organisation, if any."""
    return session.exec(
        select(DeletionRequest).where(
            DeletionRequest.organization_id == organization_id,
            col(DeletionRequest.decided_at).is_(None),
        )
    ).first()


def open_requests(
    session: Session, organization_ids: set[uuid.UUID] | None
) -> list[tuple[DeletionRequest, Organization]]:
    """Requests waiting for a coordinator; ``None`` means every organisation."""
    query = (
        select(DeletionRequest, Organization)
        .join(Organization, col(Organization.id) == DeletionRequest.organization_id)
        .where(col(DeletionRequest.decided_at).is_(None))
        .order_by(col(DeletionRequest.requested_at))
    )
    if organization_ids is not None:
        query = query.where(col(Organization.id).in_(organization_ids))
    return list(session.exec(query).all())


def ask(session: Session, organization: Organization, by: str) -> DeletionRequest:
    """An owner asks (the caller commits); asking twice keeps one request."""
    if organization.deleted_at is not None:
        raise DeletionError(_("Cette structure est déjà supprimée."))
    existing = waiting(session, organization.id)
    if existing is not None:
        return existing
    request = DeletionRequest(organization_id=organization.id, requested_by=by)
    session.add(request)
    return request


def decide(
    session: Session, request: DeletionRequest, reviewer: Actor, confirmed: bool
) -> None:
    """Confirm (the organisation is deleted) or dismiss; the caller commits."""
    if request.decided_at is not None:
        raise DeletionError(_("Cette demande a déjà été traitée."))
    request.decided_at = utcnow()
    request.decided_by = reviewer.label
    request.confirmed = confirmed
    session.add(request)
    if confirmed:
        organization = session.get(Organization, request.organization_id)
        if organization is not None:
            set_deleted(session, organization, reviewer, deleted=True)


def cancel(session: Session, organization_id: uuid.UUID, by: Actor) -> bool:
    """The owner withdraws their request; whether there was one."""
    request = waiting(session, organization_id)
    if request is None:
        return False
    request.decided_at = utcnow()
    request.decided_by = by.label
    request.confirmed = False
    session.add(request)
    return True


def set_deleted(
    session: Session, organization: Organization, actor: Actor, deleted: bool
) -> bool:
    """Soft-delete or restore (the caller commits); whether anything changed.
    Saving the organisation reindexes its services (``search.index``)."""
    if (organization.deleted_at is not None) == deleted:
        return False
    organization.deleted_at = utcnow() if deleted else None
    save(session, organization, actor)
    if not deleted:
        cancel(session, organization.id, actor)
    return True
