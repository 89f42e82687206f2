"""A whole service as one iCalendar file: the sessions of every permanence it
holds, at every place (and by phone or online), six months ahead.

Each permanence's events are exactly those of its own ``.ics``
(``calendar.permanence_events``, same UIDs): importing both never doubles an
event, and both equal the sessions the pages show.
"""

from __future__ import annotations

from datetime import datetime

from api.models import Permanence, Place
from api.services.schedules.calendar import calendar, permanence_events
from api.services.search.listing import Listing, place_ref


def location(place: Place | None) -> str:
    """Where a session is held, as residents may see it: a confidential
    place gives its name and commune, never its address."""
    if place is None:
        return ""
    public = place_ref(place)
    return ", ".join(x for x in (public.name, public.address, public.commune) if x)


def permanence_file_events(
    listing: Listing, permanence: Permanence, place: Place | None, url: str,
    now: datetime,
) -> list[str]:  # fmt: skip
    """The events of one permanence, as its own file lists them."""
    return permanence_events(
        str(permanence.id),
        listing.service.name,
        location(place),
        url,
        listing.schedule_of(permanence),
        listing.periods_for(permanence.place_id),
        now,
    )


def service_calendar(listing: Listing, url: str, now: datetime) -> str:
    """Every permanence's sessions, in the order the page lists them."""
    events: list[str] = []
    for permanence, place in listing.permanences:
        events += permanence_file_events(listing, permanence, place, url, now)
    name = f"{listing.service.name} – {listing.organization.name}"
    return calendar(events, name)
