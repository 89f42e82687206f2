"""Places shared between organisations: a place belongs to its organisation;
another one attaches permanences to it only with the owner's grant.

Revoking a grant ends that organisation's permanences there, as deleting the
place would (``listings.cascades``): soft, each through ``save`` with a revision
attributed to whoever revoked, so they show among the organisation's deleted
listings and come back once the place is shared again. Keeping them would leave
the place's owner (a confidential shelter, say) unable to take another
organisation's hours off its own place. Nothing points a permanence there again
without a grant: not a write, not a restore, not an undelete.
"""

from __future__ import annotations

import re
import uuid

from sqlmodel import Session, col, select

from api.i18n import _
from api.models import Organization, Permanence, Place, PlaceGrant, Service, utcnow
from api.services.listings.revisions import SYSTEM, Actor, save


class SharingError(ValueError):
    pass


def may_use(session: Session, place: Place, organization_id: uuid.UUID) -> bool:
    """Whether this organisation may attach a permanence to the place."""
    if place.organization_id == organization_id:
        return True
    grant = session.exec(
        select(PlaceGrant.id).where(
            PlaceGrant.place_id == place.id,
            PlaceGrant.organization_id == organization_id,
        )
    ).first()
    return grant is not None


def grants_of(session: Session, place: Place) -> list[tuple[PlaceGrant, Organization]]:
    """The organisations this place is shared with, by name."""
    return list(
        session.exec(
            select(PlaceGrant, Organization)
            .join(Organization, col(Organization.id) == PlaceGrant.organization_id)
            .where(PlaceGrant.place_id == place.id)
            .order_by(col(Organization.name))
        ).all()
    )


def shared_with(session: Session, organization_id: uuid.UUID) -> list[Place]:
    """Other organisations' live places this one may use."""
    return list(
        session.exec(
            select(Place)
            .join(PlaceGrant, col(PlaceGrant.place_id) == Place.id)
            .where(
                PlaceGrant.organization_id == organization_id,
                col(Place.deleted_at).is_(None),
            )
            .order_by(col(Place.name))
        ).all()
    )


REFERENCE = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


def find_organization(session: Session, reference: str) -> Organization | None:
    """An organisation by its slug or its id, live only (anything else, such
    as a control character, names none and never reaches the database)."""
    reference = reference.strip()
    if not REFERENCE.match(reference):
        return None
    query = select(Organization).where(col(Organization.deleted_at).is_(None))
    try:
        query = query.where(Organization.id == uuid.UUID(reference))
    except ValueError:
        query = query.where(Organization.slug == reference[:100])
    return session.exec(query).first()


def grant(
    session: Session, place: Place, organization: Organization, by: str
) -> PlaceGrant:
    """Share the place (the caller commits); granting twice keeps one grant."""
    if organization.id == place.organization_id:
        raise SharingError(_("Ce lieu est déjà le vôtre."))
    existing = session.exec(
        select(PlaceGrant).where(
            PlaceGrant.place_id == place.id,
            PlaceGrant.organization_id == organization.id,
        )
    ).first()
    if existing is not None:
        return existing
    row = PlaceGrant(place_id=place.id, organization_id=organization.id, granted_by=by)
    session.add(row)
    return row


def revoke(
    session: Session,
    place: Place,
    organization_id: uuid.UUID,
    actor: Actor = SYSTEM,
) -> bool:
    """Stop sharing and end that organisation's permanences there (the caller
    commits); whether there was a grant."""
    row = session.exec(
        select(PlaceGrant).where(
            PlaceGrant.place_id == place.id,
            PlaceGrant.organization_id == organization_id,
        )
    ).first()
    if row is None:
        return False
    session.delete(row)
    held = session.exec(
        select(Permanence)
        .join(Service, col(Service.id) == Permanence.service_id)
        .where(
            Permanence.place_id == place.id,
            Service.organization_id == organization_id,
            col(Permanence.deleted_at).is_(None),
        )
    ).all()
    for permanence in held:
        permanence.deleted_at = utcnow()
        save(session, permanence, actor)
    return True
