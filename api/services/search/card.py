"""A search result card: the listing as residents see it in a list — where,
today's hours, a running closure, languages named for the reader."""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from sqlmodel import Session

from api.i18n import babel_locale, get_locale, use_locale
from api.models import Closure
from api.models.common import utcnow
from api.models.public import (
    ClosurePublic,
    Coded,
    OrganizationRef,
    PlaceRef,
    ServiceHit,
    SessionSlot,
)
from api.services.content.translations import Texts
from api.services.places.geo import walking_minutes
from api.services.schedules import hours
from api.services.schedules.schedule_text import describe
from api.services.search import listing
from api.services.search.listing import Listing, is_stale, load_cards
from api.vocabulary import PUBLICS, THEMES, label


class Answers(listing.Answers):
    """A page's answers: its schedules' (``listing.Answers``) and the words
    its cards show — labels, language names, hours — each worked out once
    for the page in the reader's language. Made for a page, never kept."""

    def __init__(self, at: datetime) -> None:
        super().__init__(at)
        self.locale = get_locale()
        self._words: dict[tuple[str, date | None], str] = {}
        self.day = at.astimezone(hours.PARIS).date()
        self._day: dict[tuple[Any, ...], tuple[hours.Session, ...]] = {}
        # The real now (not ``at``: a search "open at" a later moment neither
        # ages the listings nor ends their permanences), and its Paris day.
        self.now = utcnow()
        self.today = hours.paris_day(self.now)

    def day_sessions(
        self,
        schedule: hours.Schedule,
        periods: list[hours.Period],
        key: tuple[Any, ...],
    ) -> tuple[hours.Session, ...]:
        """The sessions of the Paris day of the page's moment."""
        found = self._day.get(key)
        if found is None:
            found = self._day[key] = _day_sessions(schedule, self.day, tuple(periods))
        return found

    def themes(self, codes: list[str]) -> list[Coded]:
        return [_coded(self.locale, "theme", code) for code in codes]

    def publics(self, codes: list[str]) -> list[Coded]:
        return [_coded(self.locale, "public", code) for code in codes]

    def languages(self, codes: list[str]) -> list[Coded]:
        """``language_names``."""
        return [_coded(self.locale, "language", code) for code in codes]

    def words(self, raw: str, anchor: date | None) -> str:
        """``describe``."""
        text = self._words.get((raw, anchor))
        if text is None:
            text = self._words[raw, anchor] = describe(raw, self.locale, anchor)
        return text


def listings(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, Listing]:
    """The listings of a page of cards, with only what ``hit`` shows."""
    return load_cards(session, ids)


def language_names(codes: list[str], locale: str) -> list[Coded]:
    """Each language named in the reader's language ("UK" would read as the
    United Kingdom): Babel's names, else the code as given."""
    names = _names(locale)
    return [Coded(code=code, label=names.get(code) or code) for code in codes]


_VOCABULARIES = {"theme": THEMES, "public": PUBLICS}


@lru_cache(maxsize=4096)
def _coded(locale: str, kind: str, code: str) -> Coded:
    """A theme, public or language with its label in ``locale``. Kept for
    the process, shared by every card: the catalogs do not change while
    running, and a card's models are only read (serialised, shown)."""
    if kind == "language":
        return Coded(code=code, label=_names(locale).get(code) or code)
    with use_locale(locale):
        return Coded(code=code, label=label(_VOCABULARIES[kind], code))


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


def today_sessions(
    listing: Listing, moment: datetime, answers: Answers | None = None
) -> list[SessionSlot]:
    """The sessions left on the Paris day of ``moment`` (under way or to come),
    closures removed: past ones would send nobody anywhere."""
    answers = answers or Answers(moment)
    slots = [
        SessionSlot(
            start=s.start,
            end=s.end,
            place_id=place.id if place else None,
            place_name=place.name if place else None,
        )
        # The permanence's schedule knows its validity days and anchor.
        for _, place, schedule, periods, key in listing.rules()
        for s in answers.day_sessions(schedule, periods, key)
        if s.end > moment
    ]
    return sorted(slots, key=lambda s: s.start)


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
    if not listing.closures:
        return None
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


def hit(
    listing: Listing,
    texts: Texts,
    distance: float | None,
    moment: datetime,
    answers: Answers | None = None,
) -> ServiceHit:
    """``answers``: the page's, at ``moment``, shared by its cards."""
    answers = answers or Answers(moment)
    service = listing.service
    today = answers.today  # what is current: the real today
    places = listing.places(today)
    far = distance is None or distance == math.inf
    next_session = answers.next_session(listing)
    place, other_places = main_place(places, next_session)
    return ServiceHit(
        id=service.id,
        name=texts.get("name", service.name) or service.name,
        organization=OrganizationRef(
            id=listing.organization.id, name=listing.organization.name
        ),
        falc_summary=texts.get("falc_summary", service.falc_summary),
        categories=answers.themes(service.categories),
        publics=answers.publics(service.publics),
        fees=service.fees,
        appointment_required=service.appointment_required,
        referral_required=service.referral_required,
        languages=service.languages,
        phone=service.phone or listing.organization.phone,
        wheelchair=any(p.wheelchair == "yes" for p in places),
        distance_m=None if far else round(distance),  # type: ignore[arg-type]
        walking_minutes=None if far else walking_minutes(distance),  # type: ignore[arg-type]
        open_now=answers.is_open(listing),
        next_session=next_session,
        schedule=[
            answers.words(p.opening_hours, p.biweekly_anchor)
            for p, _ in listing.current(today)
        ],
        places=places,
        last_confirmed_at=service.last_confirmed_at,
        stale=is_stale(service, answers.now),
        updated_at=service.updated_at,
        translated=texts.machine_fields,
        in_french=texts.in_french(
            {"name": service.name, "falc_summary": service.falc_summary}
        ),
        town=place.commune if place else None,
        address=address_line(place),
        other_places=other_places,
        today=today_sessions(listing, moment, answers),
        closure=running_closure(listing, moment),
        language_names=answers.languages(service.languages),
    )
