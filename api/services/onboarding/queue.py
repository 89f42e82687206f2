"""What the coordinators' « Structures » page lists: the requests they decide,
the organisations of their territory (deleted ones too, to restore them), and
organisations they create there."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.models import (
    Decider,
    Organization,
    OrganizationRequest,
    RequestKind,
    RequestStatus,
)
from api.services.accounts.access import Principal
from api.services.listings.revisions import Actor
from api.services.onboarding import territory
from api.services.onboarding.organizations import create_organization

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    organizations: list[Organization]
    total: int
    number: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def pending(session: Session, principal: Principal) -> list[OrganizationRequest]:
    """Requests waiting for this coordinator, oldest first."""
    return list(
        session.exec(
            select(OrganizationRequest)
            .where(
                OrganizationRequest.status == RequestStatus.pending,
                OrganizationRequest.decider == Decider.coordination,
                territory.requests_condition(session, principal),
            )
            .order_by(col(OrganizationRequest.created_at))
        ).all()
    )


def decided(
    session: Session, principal: Principal, limit: int = 20
) -> list[OrganizationRequest]:
    """The latest decided requests of the territory, newest first."""
    return list(
        session.exec(
            select(OrganizationRequest)
            .where(
                col(OrganizationRequest.status) != RequestStatus.pending,
                col(OrganizationRequest.kind) != RequestKind.created,
                territory.requests_condition(session, principal),
            )
            .order_by(col(OrganizationRequest.decided_at).desc())
            .limit(limit)
        ).all()
    )


def organizations(session: Session, principal: Principal, number: int) -> Page:
    """Organisations of the territory by name, deleted ones included."""
    query = select(Organization)
    if not principal.is_superadmin:
        ids = territory.organization_ids(session, principal)
        query = query.where(col(Organization.id).in_(ids))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(Organization.name), col(Organization.id))
        .offset((number - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return Page(list(rows), int(total), number)


def create_in_territory(
    session: Session,
    actor: Actor,
    name: str,
    insee_code: str,
    siret: str | None = None,
    slug: str | None = None,
) -> Organization:
    """An organisation created in a commune by a coordinator or the command
    line (the caller commits); the commune keeps it in that territory until it
    has places."""
    organization = create_organization(session, name, actor, siret=siret, slug=slug)
    session.add(
        OrganizationRequest(
            kind=RequestKind.created,
            organization_id=organization.id,
            name=name,
            siret=siret,
            insee_code=insee_code,
            contact_name="",
            contact_email="",
            status=RequestStatus.approved,
            decided_by=actor.label,
            decided_at=organization.created_at,
        )
    )
    return organization
