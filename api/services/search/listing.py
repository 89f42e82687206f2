"""Turn service rows into what people see: places, hours in words, next session.

Shared by search results and detail pages, so both always agree.
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from threading import Lock
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, or_, select

from api.models import Closure, Organization, Permanence, Place, SearchHours, Service
from api.models.common import utcnow
from api.models.public import ClosurePublic, PermanencePublic, PlaceRef, SessionSlot
from api.services.schedules import hours
from api.services.schedules.schedule_text import describe
from api.services.search.sql import OpenFilter
from api.settings import get_settings


def is_stale(service: Service, now: datetime | None = None) -> bool:
    """Not confirmed for longer than REPERES_STALE_AFTER_DAYS at ``now`` (by
    default the real now: a search "open at" a later moment does not age the
    listings). Never confirmed counts from creation, as reminders count it."""
    confirmed = service.last_confirmed_at or service.created_at
    limit = timedelta(days=get_settings().stale_after_days)
    return (now or utcnow()) - confirmed > limit


def place_ref(place: Any) -> PlaceRef:
    """From a Place, or anything with its fields; a card's place is one."""
    if isinstance(place, PlaceRef):
        return place
    # Confidential: "commune and phone only", nothing that narrows down where.
    shown = not place.confidential
    return PlaceRef(
        id=place.id,
        name=place.name,
        address=place.address if shown else None,
        postal_code=place.postal_code if shown else None,
        commune=place.commune,
        insee_code=place.insee_code if shown else None,
        lat=place.lat if shown else None,
        lon=place.lon if shown else None,
        qpv_code=place.qpv_code if shown else None,
        near_qpv_code=place.near_qpv_code if shown else None,
        wheelchair=place.wheelchair,
        confidential=place.confidential,
    )


class Rule(NamedTuple):
    permanence: Any
    place: Any
    schedule: hours.Schedule
    periods: list[hours.Period]
    key: tuple[Any, ...]


@dataclass
class Listing:
    """A service with everything needed to show it, loaded in a few queries."""

    service: Service
    organization: Organization
    permanences: list[tuple[Permanence, Place | None]] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    # A card asks the same permanence several questions (open now, next and
    # today's sessions): its closures are worked out once.
    _periods: dict[uuid.UUID | None, list[hours.Period]] = field(
        default_factory=dict, init=False, repr=False
    )
    _rules: list[Rule] | None = field(default=None, init=False, repr=False)

    def rules(self) -> list[Rule]:
        """Each permanence with its place, schedule and closures, and the key
        that tells them apart (plain values: cheap to hash)."""
        if self._rules is None:
            self._rules = []
            for p, place in self.permanences:
                periods = self.periods_for(p.place_id)
                key = (
                    p.opening_hours,
                    p.valid_from,
                    p.valid_until,
                    getattr(p, "biweekly_anchor", None),
                    *periods,
                )
                self._rules.append(Rule(p, place, self.schedule_of(p), periods, key))
        return self._rules

    def periods_for(self, place_id: uuid.UUID | None) -> list[hours.Period]:
        if not self.closures:
            return []
        if place_id not in self._periods:
            self._periods[place_id] = [
                hours.closure_period(c.start, c.end)
                for c in self.closures
                if c.service_id == self.service.id
                or (place_id and c.place_id == place_id)
            ]
        return self._periods[place_id]

    def active_permanences(self, on: date) -> list[tuple[Permanence, Place | None]]:
        """The permanences held on ``on``, a Paris calendar day."""
        return [
            (p, place)
            for p, place in self.permanences
            if hours.valid_on(on, p.valid_from, p.valid_until)
        ]

    def schedule_of(self, permanence: Permanence) -> hours.Schedule:
        """Its hours bounded by its validity and anchor: ask this, not the raw
        string, whether and when it is held."""
        return hours.Schedule.of(permanence)

    def is_open(self, at: datetime) -> bool:
        return Answers(at).is_open(self)

    def next_session(self, after: datetime) -> SessionSlot | None:
        """The earliest session, in progress or coming, of any permanence: one
        not valid yet counts from its first day, an ended one not at all."""
        return Answers(after).next_session(self)

    def current(
        self, today: date | None = None
    ) -> list[tuple[Permanence, Place | None]]:
        """The permanences not ended by ``today`` (a Paris day; the real today
        by default): what residents are shown. One not started yet is, with
        its first day."""
        today = today or hours.paris_day(utcnow())
        return [
            (p, place)
            for p, place in self.permanences
            if p.valid_until is None or p.valid_until >= today
        ]

    def places(self, today: date | None = None) -> list[PlaceRef]:
        """Where the service is held: not where a permanence has ended by
        ``today`` (see ``current``)."""
        seen: dict[uuid.UUID, Any] = {}
        for _, place in self.current(today):
            if place is not None:
                seen.setdefault(place.id, place)
        return [place_ref(place) for place in seen.values()]

    def permanences_public(
        self, locale: str, today: date | None = None
    ) -> list[PermanencePublic]:
        """Permanences not ended by ``today`` (a Paris day; the real today by
        default), their hours in words: an ended one is never shown."""
        return [
            PermanencePublic(
                id=p.id,
                mode=p.mode,
                opening_hours=p.opening_hours,
                schedule=describe(p.opening_hours, locale, p.biweekly_anchor),
                place=place_ref(place) if place else None,
                valid_from=p.valid_from,
                valid_until=p.valid_until,
                note=p.note,
                biweekly_anchor=p.biweekly_anchor,
            )
            for p, place in self.current(today)
        ]

    def closures_public(self, today: date) -> list[ClosurePublic]:
        return [
            ClosurePublic.model_validate(c)
            for c in sorted(self.closures, key=lambda c: c.start)
            if c.end >= today
        ]


class _Minute(NamedTuple):
    """What the rules (by ``Listing.rules`` key) answer in one minute."""

    open: dict[tuple[Any, ...], bool]
    next: dict[tuple[Any, ...], hours.Session | None]


# Rules have no finer grain than the minute (closures and validity days start
# at midnight; ``hours.next_session`` reads the minute): every answer holds
# for the whole minute, so the pages asked in it share them, not only the
# cards of one page. A few minutes are kept (an "open at" search asks any),
# each for a bounded number of rules; the key holds everything a rule's
# answer depends on, so no write can make one stale.
MINUTES_KEPT = 8
RULES_PER_MINUTE = 4096
_minutes: OrderedDict[datetime, _Minute] = OrderedDict()
_minutes_lock = Lock()


def _minute(at: datetime) -> _Minute:
    # Aware datetimes of one instant are equal whatever their zone.
    minute = at.replace(second=0, microsecond=0)
    with _minutes_lock:
        found = _minutes.get(minute)
        if found is None or len(found.open) + len(found.next) > RULES_PER_MINUTE:
            found = _minutes[minute] = _Minute({}, {})
            while len(_minutes) > MINUTES_KEPT:
                _minutes.popitem(last=False)
        _minutes.move_to_end(minute)
        return found


class Answers:
    """What listings' schedules answer at one moment, each schedule (with
    its closures) worked out once: the cards of a page share a few rules (the
    bench's 40 permanences a page hold some 22), and the pages of a minute
    their answers (``_minute``). Made for a page, never kept."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        shared = _minute(at)
        self._open = shared.open
        self._next = shared.next

    def is_open(self, listing: Listing) -> bool:
        for rule in listing.rules():
            answer = self._open.get(rule.key)
            if answer is None:
                answer = self._open[rule.key] = rule.schedule.is_open(
                    self.at, rule.periods
                )
            if answer:
                return True
        return False

    def next_session(self, listing: Listing) -> SessionSlot | None:
        """``Listing.next_session``."""
        best: hours.Session | None = None
        where: Place | None = None
        for _, place, schedule, periods, key in listing.rules():
            if key in self._next:
                slot = self._next[key]
            else:
                slot = self._next[key] = schedule.next_session(self.at, periods)
            if slot and (best is None or slot.start < best.start):
                best, where = slot, place
        if best is None:
            return None
        return SessionSlot(
            start=best.start,
            end=best.end,
            place_id=where.id if where else None,
            place_name=where.name if where else None,
        )


def load_listings(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, Listing]:
    """Services (any status: callers decide what is listed) with their organisation,
    live permanences and places, and closures of the service or its places."""
    if not ids:
        return {}
    listings = {
        service.id: Listing(service, organization)
        for service, organization in session.exec(
            select(Service, Organization)
            .join(Organization, col(Organization.id) == col(Service.organization_id))
            .where(col(Service.id).in_(ids))
        ).all()
    }
    place_ids: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for permanence, place in session.exec(
        select(Permanence, Place)
        .outerjoin(Place, col(Place.id) == col(Permanence.place_id))
        .where(
            col(Permanence.service_id).in_(ids), col(Permanence.deleted_at).is_(None)
        )
        .order_by(col(Permanence.created_at))
    ).all():
        if place is not None and place.deleted_at is not None:
            continue
        listings[permanence.service_id].permanences.append((permanence, place))
        if place is not None:
            place_ids[place.id].add(permanence.service_id)
    for closure in session.exec(
        select(Closure).where(
            col(Closure.deleted_at).is_(None),
            or_(
                col(Closure.service_id).in_(ids),
                col(Closure.place_id).in_(list(place_ids)),
            ),
        )
    ).all():
        targets = (
            {closure.service_id} if closure.service_id else place_ids[closure.place_id]
        )
        for service_id in targets:
            if service_id in listings:
                listings[service_id].closures.append(closure)
    return listings


# A card's rows as named tuples: their fields read ten times faster than a
# Row's, and a card reads them often.
class CardService(NamedTuple):
    id: uuid.UUID
    name: str
    falc_summary: str | None
    categories: list[str]
    publics: list[str]
    fees: str
    appointment_required: bool
    referral_required: bool
    languages: list[str]
    phone: str | None
    last_confirmed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class CardOrganization(NamedTuple):
    id: uuid.UUID
    name: str
    phone: str | None


class CardPermanence(NamedTuple):
    place_id: uuid.UUID | None
    opening_hours: str
    valid_from: date | None
    valid_until: date | None
    biweekly_anchor: date | None


class CardClosure(NamedTuple):
    service_id: uuid.UUID | None
    place_id: uuid.UUID | None
    start: date
    end: date
    reason: str | None


_S = Service.__table__.c  # type: ignore[attr-defined]
_O = Organization.__table__.c  # type: ignore[attr-defined]
_P = Permanence.__table__.c  # type: ignore[attr-defined]
_L = Place.__table__.c  # type: ignore[attr-defined]
_C = Closure.__table__.c  # type: ignore[attr-defined]
_IDS = sa.bindparam("ids", expanding=True)


def _stored(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """``column`` as the driver hands it, without the type's own processing."""
    return sa.type_coerce(column, sa.String).label(column.name)


# Built once: a page's cards read only the columns they show, as plain rows
# (no ORM instances, identity map or unused timestamps and JSON to convert).
_CARD_SERVICES = (
    sa.select(
        # As stored: the listing is found by the caller's own UUID.
        _stored(_S.id),
        _S.name,
        _S.falc_summary,
        # Lists of codes as stored, decoded by ``_codes``.
        _stored(_S.categories),
        _stored(_S.publics),
        # Enums as their stored values: what a card shows (no member lookup).
        sa.type_coerce(_S.fees, sa.String).label("fees"),
        _S.appointment_required,
        _S.referral_required,
        _stored(_S.languages),
        _S.phone,
        _S.last_confirmed_at,
        _S.created_at,
        _S.updated_at,
        _O.id.label("org_id"),
        _O.name.label("org_name"),
        _O.phone.label("org_phone"),
        # Whether a closure is to be read at all: most pages have none.
        sa.exists()
        .where(_C.service_id == _S.id, _C.deleted_at.is_(None))
        .label("closed"),
    )
    .join_from(Service.__table__, Organization.__table__, _O.id == _S.organization_id)  # type: ignore[attr-defined]
    .where(_S.id.in_(_IDS))
)
_CARD_PERMANENCES = (
    sa.select(
        # As stored (hex on SQLite, a UUID from psycopg): keys made once each.
        sa.type_coerce(_P.service_id, sa.String).label("service_id"),
        sa.type_coerce(_P.place_id, sa.String).label("place_id"),
        _P.opening_hours,
        _P.valid_from,
        _P.valid_until,
        _P.biweekly_anchor,
        _L.name,
        _L.address,
        _L.postal_code,
        _L.commune,
        _L.insee_code,
        _L.lat,
        _L.lon,
        _L.qpv_code,
        _L.near_qpv_code,
        sa.type_coerce(_L.wheelchair, sa.String).label("wheelchair"),
        _L.confidential,
        _L.deleted_at,
        sa.exists()
        .where(_C.place_id == _P.place_id, _C.deleted_at.is_(None))
        .label("closed"),
    )
    .outerjoin_from(Permanence.__table__, Place.__table__, _L.id == _P.place_id)  # type: ignore[attr-defined]
    .where(_P.service_id.in_(_IDS), _P.deleted_at.is_(None))
    .order_by(_P.created_at)
)
_CARD_CLOSURES = sa.select(
    _C.service_id, _C.place_id, _C.start, _C.end, _C.reason
).where(
    _C.deleted_at.is_(None),
    sa.or_(
        _C.service_id.in_(_IDS),
        _C.place_id.in_(sa.bindparam("place_ids", expanding=True)),
    ),
)


def _hex(stored: str | uuid.UUID) -> str:
    return stored.hex if isinstance(stored, uuid.UUID) else stored


def _codes(stored: str | list[str] | None) -> list[str] | None:
    """A JSON list of codes as stored: text on SQLite, a list from psycopg
    (it decodes jsonb itself)."""
    if isinstance(stored, str):
        return list(_decoded(stored))
    return stored


@lru_cache(maxsize=4096)
def _decoded(stored: str) -> tuple[str, ...]:
    # Decoded once per distinct text: listings share a few hundred themes,
    # publics and languages, and each card would decode three lists.
    return tuple(json.loads(stored))


class _PlaceRow(NamedTuple):
    id: uuid.UUID | str  # as stored: PlaceRef's validation makes it a UUID
    name: str
    address: str | None
    postal_code: str | None
    commune: str
    insee_code: str | None
    lat: float | None
    lon: float | None
    qpv_code: str | None
    near_qpv_code: str | None
    wheelchair: str
    confidential: bool


def load_cards(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, Listing]:
    """``load_listings`` for result cards: the same listings, with only the
    columns a card shows (``card.hit``), read as rows: services with their
    organisation, live permanences and places, closures."""
    if not ids:
        return {}
    listings: dict[uuid.UUID, Listing] = {}
    stored: dict[str, Listing] = {}
    asked = {id_.hex: id_ for id_ in ids}
    closed = False
    for row in session.execute(_CARD_SERVICES, {"ids": ids}).all():
        key = _hex(row[0])
        service = CardService(
            asked[key],
            row[1],
            row[2],
            _codes(row[3]),  # type: ignore[arg-type]
            _codes(row[4]),  # type: ignore[arg-type]
            *row[5:8],
            _codes(row[8]),  # type: ignore[arg-type]
            *row[9:13],
        )
        organization = CardOrganization._make(row[13:16])
        closed = closed or row[16]
        listing = stored[key] = Listing(service, organization)  # type: ignore[arg-type]
        listings[service.id] = listing
    # A place, by its stored id: its model, and the listings held there.
    places: dict[str, tuple[PlaceRef, list[Listing]]] = {}
    for row in session.execute(_CARD_PERMANENCES, {"ids": ids}).all():
        listing = stored[_hex(row[0])]
        place = None
        if row[1] is not None:
            if row[17] is not None:  # the place was deleted
                continue
            key = _hex(row[1])
            if key not in places:
                # The card's place is what it shows: confidential ones hidden.
                places[key] = place_ref(_PlaceRow(row[1], *row[6:17])), []
            place, held = places[key]
            held.append(listing)
            closed = closed or row[18]
        permanence = CardPermanence(place.id if place else None, *row[2:6])
        listing.permanences.append((permanence, place))  # type: ignore[arg-type]
    if closed:
        closures = session.execute(
            _CARD_CLOSURES,
            {"ids": ids, "place_ids": [place.id for place, _ in places.values()]},
        ).all()
        by_place = {place.id: held for place, held in places.values()}
        for row in closures:
            closure = CardClosure._make(row)
            if closure.service_id:
                own = listings.get(closure.service_id)
                targets = [own] if own else []
            else:  # each listing once, however many permanences it holds there
                targets = list({id(t): t for t in by_place[closure.place_id]}.values())
            for listing in targets:
                listing.closures.append(closure)  # type: ignore[arg-type]
    return listings


def open_services(session: Session, moment: datetime) -> OpenFilter:
    """What "open at ``moment``" comes to in SQL: each distinct rule (opening
    hours with their anchor) is evaluated once, not each permanence (the
    bench's 200,000 share about 30 rules), and the closures of that day."""
    day = moment.astimezone(hours.PARIS).date()
    open_ids = [
        id_
        for id_, raw, anchor in session.exec(
            select(SearchHours.id, SearchHours.opening_hours, SearchHours.anchor)
        ).all()
        if _open(raw, anchor, moment)
    ]
    closed_services: list[uuid.UUID] = []
    closed_places: list[uuid.UUID] = []
    for service_id, place_id in session.exec(
        select(Closure.service_id, Closure.place_id).where(
            col(Closure.deleted_at).is_(None),
            col(Closure.start) <= day,
            col(Closure.end) >= day,
        )
    ).all():
        if service_id:
            closed_services.append(service_id)
        if place_id:
            closed_places.append(place_id)
    return OpenFilter(open_ids, day, closed_services, closed_places)


def _open(raw: str, anchor: date | None, moment: datetime) -> bool:
    if anchor is None:
        return hours.is_open(raw, moment)
    return hours.is_open(raw, moment, anchor=anchor)  # type: ignore[call-arg,unused-ignore]
