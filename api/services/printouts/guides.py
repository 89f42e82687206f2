"""Printed guides and referral sheets: each schedule beside the place it is held at.

A listing's permanences are stored one per (place, hours) pair, so a service held
in twelve branches with the same hours has twelve rows. Printed as they come,
hours and addresses drift apart and repeat; here they are grouped back: one
block per set of identical hours, with the places that share them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from api.i18n import get_locale
from api.models import Closure
from api.models.public import (
    ClosurePublic,
    PermanencePublic,
    PlaceRef,
    ServiceDetail,
    ServiceHit,
)
from api.services.printouts.selection import Selection
from api.services.search.detail import service_detail
from api.services.search.engine import all_matches
from api.services.search.filters import SearchFilters, Sort
from api.services.search.listing import load_listings
from api.vocabulary import category_of

# What residents ask for first comes first (food, a roof, care, papers, money,
# work); the reference list's alphabetical order put "Choisir un métier" on top.
THEME_ORDER: tuple[str, ...] = (
    "equipement-et-alimentation",
    "logement-hebergement",
    "sante",
    "difficultes-administratives-ou-juridiques",
    "difficultes-financieres",
    "trouver-un-emploi",
    "famille",
    "lecture-ecriture-calcul",
    "numerique",
    "mobilite",
    "preparer-sa-candidature",
    "se-former",
    "choisir-un-metier",
    "remobilisation",
    "creer-une-entreprise",
    "souvrir-a-linternational",
)


@dataclass(frozen=True)
class Hours:
    """One schedule line: hours in words, its validity and the partner's note."""

    schedule: str
    valid_from: date | None = None
    valid_until: date | None = None
    note: str | None = None


@dataclass
class WhereWhen:
    """Places (none: by phone or remote) that share exactly the same hours,
    and the closures of those places, running or to come."""

    mode: str
    places: list[PlaceRef]
    hours: list[Hours]
    closures: list[ClosurePublic] = field(default_factory=list)


@dataclass
class GuideEntry:
    service: ServiceHit
    where_when: list[WhereWhen]


@dataclass
class SheetEntry:
    service: ServiceDetail
    places: list[PlaceRef]  # every branch, to choose from
    chosen: uuid.UUID | None
    where_when: list[WhereWhen]


@dataclass
class Guide:
    groups: list[tuple[str, list[GuideEntry]]] = field(default_factory=list)


PlaceFilter = Callable[[PlaceRef], bool]


def theme_rank(code: str) -> int:
    return THEME_ORDER.index(code) if code in THEME_ORDER else len(THEME_ORDER)


def where_when(
    permanences: Iterable[PermanencePublic],
    today: date,
    keep: PlaceFilter | None = None,
) -> list[WhereWhen]:
    """Permanences grouped by place, then places with identical hours merged.

    Ended permanences are left out; so are places ``keep`` refuses (permanences
    with no place — by phone, remote — are always kept). Order: first seen."""
    by_place: dict[object, tuple[str, PlaceRef | None, list[Hours]]] = {}
    for permanence in permanences:
        if permanence.valid_until is not None and permanence.valid_until < today:
            continue
        place = permanence.place
        if place is not None and keep is not None and not keep(place):
            continue
        key: object = place.id if place is not None else ("mode", permanence.mode)
        mode = "in_person" if place is not None else permanence.mode
        lines = by_place.setdefault(key, (mode, place, []))[2]
        line = Hours(
            schedule=permanence.schedule,
            valid_from=permanence.valid_from
            if permanence.valid_from and permanence.valid_from > today
            else None,
            valid_until=permanence.valid_until,
            note=permanence.note.strip() if permanence.note else None,
        )
        if line not in lines:
            lines.append(line)
    merged: dict[tuple[str, tuple[Hours, ...]], WhereWhen] = {}
    for mode, place, lines in by_place.values():
        block = merged.setdefault((mode, tuple(lines)), WhereWhen(mode, [], lines))
        if place is not None:
            block.places.append(place)
    return list(merged.values())


def with_closures(
    blocks: list[WhereWhen], closures: Iterable[Closure], today: date
) -> list[WhereWhen]:
    """Each place's own closures, running or to come, beside its hours (a
    service's own closure is the entry's banner). Places merged for their hours
    part again when only some of them close."""
    ordered = sorted((c for c in closures if c.end >= today), key=lambda c: c.start)
    result: list[WhereWhen] = []
    for block in blocks:
        by_closures: dict[tuple[uuid.UUID, ...], WhereWhen] = {}
        for place in block.places:
            own = [c for c in ordered if c.place_id == place.id]
            split = by_closures.get(tuple(c.id for c in own))
            if split is None:
                shown = [ClosurePublic.model_validate(c) for c in own]
                split = WhereWhen(block.mode, [], block.hours, shown)
                by_closures[tuple(c.id for c in own)] = split
            split.places.append(place)
        result += list(by_closures.values()) if block.places else [block]
    return result


def in_or_near(qpv_code: str) -> PlaceFilter:
    def keep(place: PlaceRef) -> bool:
        if place.confidential:  # never listed as "in or near" a neighbourhood
            return False
        return qpv_code in (place.qpv_code, place.near_qpv_code)

    return keep


def qpv_guide(
    session: Session, qpv_code: str, theme: str | None, now: datetime
) -> Guide:
    """The services held in or near a QPV, by theme in THEME_ORDER, each with
    only the places of the neighbourhood."""
    filters = SearchFilters(
        qpv=[qpv_code], category=[theme] if theme else [], sort=Sort.name
    )
    hits = all_matches(session, filters, now)
    listings = load_listings(session, [h.id for h in hits])
    keep = in_or_near(qpv_code)
    groups: dict[str, list[GuideEntry]] = {}
    for hit in hits:
        listing = listings[hit.id]
        permanences = listing.permanences_public(get_locale(), now.date())
        blocks = where_when(permanences, now.date(), keep)
        if not any(block.places for block in blocks):
            # Matched through a place that keep() refused cannot happen today;
            # should it ever, the whole listing is better than a blank one.
            blocks = where_when(permanences, now.date())
        blocks = with_closures(blocks, listing.closures, now.date())
        code = category_of(hit.categories[0].code) if hit.categories else ""
        groups.setdefault(code, []).append(GuideEntry(hit, blocks))
    ordered = sorted(groups.items(), key=lambda item: theme_rank(item[0]))
    return Guide(groups=ordered)


def places_of(permanences: Iterable[PermanencePublic], today: date) -> list[PlaceRef]:
    """The distinct places a service is still held at: the branches to choose from."""
    seen: dict[uuid.UUID, PlaceRef] = {}
    for permanence in permanences:
        if permanence.valid_until is not None and permanence.valid_until < today:
            continue
        if permanence.place is not None:
            seen.setdefault(permanence.place.id, permanence.place)
    return list(seen.values())


def referral_sheet(
    session: Session, state: Selection, now: datetime
) -> tuple[list[SheetEntry], int]:
    """The sheet's services, each with its chosen branch only (or every place);
    ids naming no listed service leave ``state`` and are counted."""
    today = now.date()
    details = {
        service_id: detail
        for service_id in state.ids
        if (detail := service_detail(session, service_id, now)) is not None
    }
    unknown = state.keep_only(list(details)) + state.damaged
    listings = load_listings(session, state.ids)
    entries = []
    for service_id in state.ids:
        detail = details[service_id]
        places = places_of(detail.permanences, today)
        chosen = state.places.get(service_id)
        if chosen not in {p.id for p in places}:
            state.places.pop(service_id, None)  # not one of its places: all shown
            chosen = None
        keep = (lambda p, c=chosen: p.id == c) if chosen else None
        blocks = where_when(detail.permanences, today, keep)
        blocks = with_closures(blocks, listings[service_id].closures, today)
        entries.append(SheetEntry(detail, places, chosen, blocks))
    return entries, unknown
