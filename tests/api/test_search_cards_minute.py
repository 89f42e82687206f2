"""Search result cards share their rules' answers with every page asked in
the same minute (``listing._minute``): a change to the hours or closures
they answer for, within that minute, still gets its own answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from api.models import Closure, Permanence
from api.models.public import ServiceHit
from api.services.listings.revisions import SYSTEM, save
from api.services.schedules.hours import PARIS
from api.services.search.engine import search
from api.services.search.filters import SearchFilters
from tests.territory import CARE, Territory

# A Monday at 10:00, in the health centre's hours (Mo-Fr 09:00-12:00).
MONDAY = datetime(2026, 12, 21, 10, 0, 12, tzinfo=PARIS)
LATER = MONDAY + timedelta(seconds=30)  # the same minute


def health_card(session: Session, now: datetime) -> ServiceHit:
    (card,) = search(session, SearchFilters(category=[CARE]), now).items
    return card


def test_hours_changed_within_the_minute_are_answered_anew(
    session: Session, territory: Territory
) -> None:
    card = health_card(session, MONDAY)
    assert card.open_now
    assert card.next_session is not None
    assert card.next_session.start == datetime(2026, 12, 21, 9, tzinfo=PARIS)
    assert [s.end for s in card.today] == [datetime(2026, 12, 21, 12, tzinfo=PARIS)]

    permanence = session.exec(
        select(Permanence).where(Permanence.service_id == territory.health.id)
    ).one()
    permanence.opening_hours = "Mo-Fr 14:00-17:00; PH off"
    save(session, permanence, SYSTEM)
    session.commit()

    card = health_card(session, LATER)
    assert not card.open_now
    assert card.next_session is not None
    assert card.next_session.start == datetime(2026, 12, 21, 14, tzinfo=PARIS)
    assert [s.start for s in card.today] == [datetime(2026, 12, 21, 14, tzinfo=PARIS)]


def test_a_closure_added_within_the_minute_closes_the_card(
    session: Session, territory: Territory
) -> None:
    assert health_card(session, MONDAY).open_now

    closure = Closure(
        service_id=territory.health.id,
        start=date(2026, 12, 21),
        end=date(2026, 12, 21),
        reason="Panne de chauffage",
    )
    save(session, closure, SYSTEM)
    session.commit()

    card = health_card(session, LATER)
    assert not card.open_now
    assert card.today == []
    assert card.closure is not None and card.closure.reason == "Panne de chauffage"
    assert card.next_session is not None
    assert card.next_session.start == datetime(2026, 12, 22, 9, tzinfo=PARIS)
