"""Sessions handed out elsewhere than the page: a whole service's .ics (every
permanence, every place) read by a real iCalendar parser, and the map's
markers saying when a lone service is next held — both equal to the site."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.main import app
from api.models import Closure, Permanence, PermanenceMode, Service, Visibility
from api.routes.http import now_paris
from api.services.listings.revisions import SYSTEM, save
from api.services.schedules import hours
from tests.factories import make_organization, make_place, make_service

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=PARIS)
END = NOW + timedelta(days=183)
# Sessions read up to END are cut there: compare those starting before.
UNTIL = END - timedelta(days=1)
SANITAS = (47.38165, 0.69977)
EVERY_OTHER = "We[2,4] 14:00-17:00; PH off"
MONDAYS = "Mo 09:00-12:00"
PHONE = "Tu 14:00-16:00"
CLOSED = date(2027, 1, 13)  # a 2nd Wednesday


@pytest.fixture
def pinned(client: TestClient) -> Iterator[None]:
    app.dependency_overrides[now_paris] = lambda: NOW
    yield
    app.dependency_overrides.pop(now_paris, None)


def _permanence(
    session: Session, service: Service, hours_: str, **values: object
) -> None:
    save(
        session,
        Permanence(service_id=service.id, opening_hours=hours_, **values),
        SYSTEM,
    )


@pytest.fixture
def service(session: Session) -> Service:
    """Held at a public place, at a confidential one, and by phone; closed
    for one day."""
    org = make_organization(session, "asso", name="Asso <b>du</b> Sanitas")
    local = make_place(
        session, org, "local", name="Local Saint-Paul", address="3 rue Saint-Paul",
        lat=SANITAS[0], lon=SANITAS[1],
    )  # fmt: skip
    hidden = make_place(
        session, org, "abri", name="Abri", address="9 rue Secrète",
        confidential=True, lat=47.39, lon=0.70,
    )  # fmt: skip
    found = make_service(session, org, "ecoute", name="Écoute ; مساعدة, <script>")
    _permanence(session, found, EVERY_OTHER, place_id=local.id)
    _permanence(session, found, MONDAYS, place_id=hidden.id)
    _permanence(session, found, PHONE, mode=PermanenceMode.phone)
    save(session, Closure(service_id=found.id, start=CLOSED, end=CLOSED), SYSTEM)
    session.commit()
    return found


def _events(text: str) -> list[tuple[datetime, datetime, str, str]]:
    calendar = icalendar.Calendar.from_ical(text)
    return sorted(
        (e["DTSTART"].dt, e["DTEND"].dt, str(e["UID"]), str(e["LOCATION"]))
        for e in recurring_ical_events.of(calendar).between(NOW, END)
        if e["DTSTART"].dt < UNTIL
    )


def test_a_service_calendar_holds_every_permanence_as_the_site_shows_it(
    client: TestClient, service: Service, pinned: None
) -> None:
    response = client.get(f"/fr/services/{service.id}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    events = _events(response.text)
    closure = [hours.closure_period(CLOSED, CLOSED)]
    site = sorted(
        (s.start, s.end)
        for rule in (EVERY_OTHER, MONDAYS, PHONE)
        for s in hours.Schedule(rule).sessions(NOW, END, closure)
        if s.start < UNTIL
    )
    assert len(site) > 60
    assert [(start, end) for start, end, _uid, _where in events] == site
    assert all(start.date() != CLOSED for start, *_ in events)
    # The same events as each permanence's own file: same UIDs, nothing doubled.
    page = client.get(f"/fr/services/{service.id}").text
    links = re.findall(r'href="(/fr/services/[^"]+/permanences/[^"]+\.ics)"', page)
    assert len(links) == 3
    one_by_one = sorted(e for link in links for e in _events(client.get(link).text))
    assert one_by_one == events
    assert len({uid for _s, _e, uid, _w in events}) == len(events)
    # A confidential place keeps its address out; the public one gives it.
    places = {where for *_rest, where in events}
    assert places == {"Local Saint-Paul, 3 rue Saint-Paul, Tours", "Abri, Tours", ""}
    assert "Secrète" not in response.text
    calendar = icalendar.Calendar.from_ical(response.text)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert summaries == {"Écoute ; مساعدة, <script>"}


def test_the_service_page_links_its_whole_calendar(
    client: TestClient, service: Service, pinned: None
) -> None:
    page = client.get(f"/ar/services/{service.id}")
    assert page.status_code == 200
    match = re.search(rf'href="(/ar/services/{service.id}\.ics)"', page.text)
    assert match, "a link to the whole service's calendar"
    assert client.get(html.unescape(match.group(1))).status_code == 200


@pytest.mark.parametrize(
    "values", [{"visibility": Visibility.professionals}, {"status": "draft"}]
)
def test_a_calendar_is_never_given_for_what_residents_cannot_see(
    client: TestClient, session: Session, values: dict[str, object]
) -> None:
    org = make_organization(session, "autre")
    hidden = make_service(session, org, "cache", name="Caché", **values)
    _permanence(session, hidden, MONDAYS)
    session.commit()
    assert client.get(f"/fr/services/{hidden.id}.ics").status_code == 404
    assert client.get(f"/fr/services/{org.id}.ics").status_code == 404
    assert client.get("/fr/services/%00.ics").status_code in (404, 422)


def test_a_lone_service_marker_says_when_it_is_next_held_there(
    client: TestClient, session: Session, service: Service, pinned: None
) -> None:
    features = client.get("/api/v1/services.geojson").json()["features"]
    by_place = {f["properties"]["place"]: f["properties"] for f in features}
    # The next Monday morning at the confidential place has no marker at all.
    assert set(by_place) == {"Local Saint-Paul"}
    marker = by_place["Local Saint-Paul"]
    # 9 December is the 2nd Wednesday: what the cards give for that place.
    assert marker["next_session"]["start"] == "2026-12-09T14:00:00+01:00"
    assert marker["next_session"]["end"] == "2026-12-09T17:00:00+01:00"
    assert marker["next_session"]["place_name"] == "Local Saint-Paul"
    hit = client.get("/api/v1/services", params={"q": "Écoute"}).json()["items"][0]
    schedule = hours.Schedule(EVERY_OTHER)
    first = schedule.next_session(NOW, [])
    assert (
        first is not None and first.start.isoformat() == marker["next_session"]["start"]
    )
    assert hit["next_session"] is not None  # the card's (any place: Monday first)


def test_a_closure_moves_the_markers_next_session(
    client: TestClient, session: Session, service: Service, pinned: None
) -> None:
    save(
        session,
        Closure(service_id=service.id, start=date(2026, 12, 9), end=date(2026, 12, 9)),
        SYSTEM,
    )
    session.commit()
    features = client.get("/api/v1/services.geojson").json()["features"]
    [marker] = [f["properties"] for f in features]
    assert marker["next_session"]["start"] == "2026-12-23T14:00:00+01:00"
