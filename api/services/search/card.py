"""What a result card adds to a listing: where, today's hours, a running closure,
languages named for the reader."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from api.i18n import babel_locale
from api.models import Closure
from api.models.public import ClosurePublic, Coded, PlaceRef, SessionSlot
from api.services.schedules import hours
from api.services.search.listing import Listing


def language_names(codes: list[str], locale: str) -> list[Coded]:
    """Each language named in the reader's language ("UK" would read as the
    United Kingdom): Babel's names, else the code as given."""
    names = _names(locale)
    return [Coded(code=code, label=names.get(code) or code) for code in codes]


@lru_cache(maxsize=32)
def _names(locale: str) -> dict[str, str]:
    # Parsed once per interface language, not once per card.
    try:
        return dict(Locale.parse(babel_locale(locale)).languages)
    except (ValueError, UnknownLocaleError):
        return {}


def main_place(
    places: list[PlaceRef], next_session: SessionSlot | None
) -> tuple[PlaceRef | None, int]:
    """The place to show on a card, among the listing's ``places()``: where
    the next session is held, else the first one; and how many other places
    hold the service."""
    if not places:
        return None, 0
    wanted = next_session.place_id if next_session else None
    chosen = next((p for p in places if p.id == wanted), places[0])
    return chosen, len(places) - 1


def address_line(place: PlaceRef | None) -> str | None:
    if place is None or not place.address:
        return None
    town = " ".join(x for x in (place.postal_code, place.commune) if x)
    return f"{place.address}, {town}" if town else place.address


def today_sessions(listing: Listing, moment: datetime) -> list[SessionSlot]:
    """The sessions left on the Paris day of ``moment`` (under way or to come),
    closures removed: past ones would send nobody anywhere."""
    day = moment.astimezone(hours.PARIS).date()
    slots = [
        SessionSlot(
            start=s.start,
            end=s.end,
            place_id=place.id if place else None,
            place_name=place.name if place else None,
        )
        for p, place in listing.permanences
        # The permanence's schedule knows its validity days and anchor.
        for s in _day_sessions(
            listing.schedule_of(p), day, tuple(listing.periods_for(p.place_id))
        )
    ]
    return sorted((s for s in slots if s.end > moment), key=lambda s: s.start)


@lru_cache(maxsize=4096)
def _day_sessions(
    schedule: hours.Schedule, day: date, closures: tuple[hours.Period, ...]
) -> tuple[hours.Session, ...]:
    # Cached per rule and day, here rather than in ``hours.sessions``: every
    # card of the day asks the same few rules for the same day, whereas the
    # calendars' and coverage's windows start at "now" and would only fill
    # a cache with months of sessions that are never asked again.
    start = datetime.combine(day, time(), hours.PARIS)
    return tuple(schedule.sessions(start, start + timedelta(days=1), closures))


def running_closure(listing: Listing, moment: datetime) -> ClosurePublic | None:
    """A closure of the service running on the Paris day of ``moment``, else
    one that closes every place holding it (the first to reopen): a closure of
    one place among several leaves the service open elsewhere."""
    day = moment.astimezone(hours.PARIS).date()
    running = [c for c in listing.closures if c.start <= day <= c.end]
    own = [c for c in running if c.service_id == listing.service.id]
    if own:
        return ClosurePublic.model_validate(max(own, key=lambda c: c.end))
    place_ids = {p.place_id for p, _ in listing.permanences}
    if not place_ids or None in place_ids:
        return None
    by_place: dict[uuid.UUID | None, Closure] = {}
    for c in sorted(running, key=lambda c: c.end):  # a place reopens after its last
        if c.place_id in place_ids:
            by_place[c.place_id] = c
    if set(by_place) != place_ids:
        return None
    return ClosurePublic.model_validate(min(by_place.values(), key=lambda c: c.end))
