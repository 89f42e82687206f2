"""Who may do what in the partner space: roles per organisation, coordinators'
territories, the superadmin.

Ranks: reader < editor < owner. A coordinator acts as an editor on every
organisation with a live place in their territory (communes or QPVs) and
reviews its changes when moderation is on; the superadmin is owner everywhere.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from api.models import CoordinatorScope, Membership, Organization, Role, User
from api.services.coordination.scopes import coordinated_ids, is_moderated
from api.services.listings.revisions import Actor
from api.services.partner.editing import Partner

RANK = {Role.reader: 0, Role.editor: 1, Role.owner: 2}
SCOPES_OF = {
    Role.reader: frozenset({"read"}),
    Role.editor: frozenset({"read", "write"}),
    Role.owner: frozenset({"read", "write"}),
}


@dataclass(frozen=True)
class Principal:
    """A signed-in user, with what they hold."""

    user_id: uuid.UUID
    email: str
    name: str | None
    is_superadmin: bool
    roles: dict[uuid.UUID, Role] = field(default_factory=dict)
    territories: tuple[CoordinatorScope, ...] = ()
    # The organisations with a place in those territories, looked up once.
    coordinated: frozenset[uuid.UUID] = frozenset()

    @property
    def actor(self) -> Actor:
        return Actor("user", self.name or self.email, self.user_id)

    @property
    def is_coordinator(self) -> bool:
        return self.is_superadmin or bool(self.territories)


def load_principal(session: Session, user_id: uuid.UUID) -> Principal | None:
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.deleted_at is not None:
        return None
    memberships = session.exec(
        select(Membership).where(Membership.user_id == user.id)
    ).all()
    scopes = session.exec(
        select(CoordinatorScope).where(CoordinatorScope.user_id == user.id)
    ).all()
    return Principal(
        user.id,
        user.email,
        user.name,
        user.is_superadmin,
        {m.organization_id: Role(m.role) for m in memberships},
        tuple(scopes),
        frozenset(coordinated_ids(session, tuple(scopes))),
    )


def role_for(principal: Principal, organization_id: uuid.UUID) -> Role | None:
    if principal.is_superadmin:
        return Role.owner
    role = principal.roles.get(organization_id)
    if role is None and organization_id in principal.coordinated:
        return Role.editor
    return role


def can_review(principal: Principal, organization_id: uuid.UUID) -> bool:
    return principal.is_superadmin or organization_id in principal.coordinated


def has_role(principal: Principal, organization_id: uuid.UUID, needed: Role) -> bool:
    role = role_for(principal, organization_id)
    return role is not None and RANK[role] >= RANK[needed]


def organizations_of(session: Session, principal: Principal) -> list[Organization]:
    """The organisations this user may open, by name."""
    query = select(Organization).where(col(Organization.deleted_at).is_(None))
    if not principal.is_superadmin:
        ids = set(principal.roles) | principal.coordinated
        query = query.where(col(Organization.id).in_(ids))
    return list(session.exec(query.order_by(col(Organization.name))).all())


def writer(
    session: Session, principal: Principal, organization_id: uuid.UUID
) -> Partner:
    """The member as a partner of this organisation, for the shared write path;
    coordinators reviewing it are not held by its moderation."""
    role = role_for(principal, organization_id)
    scopes = SCOPES_OF[role] if role else frozenset()
    reviewer = can_review(principal, organization_id)
    moderated = not reviewer and is_moderated(session, organization_id)
    return Partner(
        organization_id, scopes, principal.actor, moderated=moderated, reviewer=reviewer
    )
