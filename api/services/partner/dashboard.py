"""What an organisation's dashboard shows: its listings with their status and
freshness, members, API tokens, changes waiting for review."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from api.models import (
    ApiToken,
    Closure,
    Organization,
    Permanence,
    Place,
    Role,
    Service,
    User,
    utcnow,
)
from api.services.accounts import members
from api.services.content.falc import listing_score
from api.services.coordination.moderation import pending_counts
from api.services.search.listing import is_stale


@dataclass
class ServiceRow:
    service: Service
    permanences: list[Permanence] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    pending: int = 0

    @property
    def stale(self) -> bool:
        return is_stale(self.service, utcnow())

    @property
    def falc_score(self) -> int | None:
        """Easy-to-read score of its text (shown to coordinators only)."""
        return listing_score(self.service)


@dataclass
class Dashboard:
    organization: Organization
    services: list[ServiceRow]
    places: list[Place]
    deleted_services: list[Service]
    deleted_places: list[Place]
    place_closures: list[Closure]
    members: list[tuple[User, Role]]
    tokens: list[ApiToken]
    pending: int

    @property
    def stale_count(self) -> int:
        return sum(1 for row in self.services if row.stale)

    def closures_of(self, place: Place) -> list[Closure]:
        return [c for c in self.place_closures if c.place_id == place.id]

    def place_name(self, place_id: uuid.UUID | None) -> str:
        return next((p.name for p in self.places if p.id == place_id), "")


def _live(model: type) -> object:
    return col(model.deleted_at).is_(None)  # type: ignore[attr-defined]


def dashboard(session: Session, organization: Organization) -> Dashboard:
    services = session.exec(
        select(Service)
        .where(Service.organization_id == organization.id)
        .order_by(col(Service.name))
    ).all()
    places = session.exec(
        select(Place)
        .where(Place.organization_id == organization.id)
        .order_by(col(Place.name))
    ).all()
    live_ids = [s.id for s in services if s.deleted_at is None]
    permanences = session.exec(
        select(Permanence).where(
            col(Permanence.service_id).in_(live_ids), _live(Permanence)
        )
    ).all()
    closures = session.exec(
        select(Closure).where(
            col(Closure.service_id).in_(live_ids)
            | col(Closure.place_id).in_([p.id for p in places]),
            _live(Closure),
            col(Closure.end) >= utcnow().date(),
        )
    ).all()
    counts = pending_counts(session, organization.id)
    rows = {
        s.id: ServiceRow(s, pending=counts.get(s.id, 0))
        for s in services
        if s.deleted_at is None
    }
    for permanence in permanences:
        rows[permanence.service_id].permanences.append(permanence)
    for closure in closures:
        if closure.service_id in rows:
            rows[closure.service_id].closures.append(closure)
    tokens = session.exec(
        select(ApiToken)
        .where(ApiToken.organization_id == organization.id)
        .order_by(col(ApiToken.created_at).desc())
    ).all()
    return Dashboard(
        organization=organization,
        services=list(rows.values()),
        places=[p for p in places if p.deleted_at is None],
        deleted_services=[s for s in services if s.deleted_at is not None],
        deleted_places=[p for p in places if p.deleted_at is not None],
        place_closures=[c for c in closures if c.place_id is not None],
        members=members.members(session, organization.id),
        tokens=list(tokens),
        pending=sum(counts.values()),
    )
