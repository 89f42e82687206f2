"""Subscribable calendars and the search as CSV: valid in a real iCalendar
parser, equal to the site's sessions for six months, nothing a resident may
not see."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.main import app
from api.models import Closure, Permanence, Service, Visibility
from api.routes.http import now_paris
from api.services.listings.revisions import SYSTEM, save
from api.services.schedules import hours
from tests.factories import (
    load_real_qpvs,
    make_organization,
    make_place,
    make_service,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=PARIS)
SANITAS = (47.38165, 0.69977)
FOOD = "equipement-et-alimentation--alimentation"
HOURS = "We[2,4] 14:00-17:00; PH off"


@pytest.fixture
def pinned(client: TestClient) -> Iterator[None]:
    app.dependency_overrides[now_paris] = lambda: NOW
    yield
    app.dependency_overrides.pop(now_paris, None)


@pytest.fixture
def qpv_code(session: Session) -> str:
    load_real_qpvs(session)
    org = make_organization(session, "asso", name="Asso du Sanitas")
    place = make_place(
        session, org, "local", name="Local Saint-Paul", lat=SANITAS[0], lon=SANITAS[1]
    )
    public = make_service(session, org, "epicerie", name="=Épicerie", categories=[FOOD])
    save(
        session,
        Permanence(service_id=public.id, place_id=place.id, opening_hours=HOURS),
        SYSTEM,
    )
    # A closure the site shows: the feed leaves its session out too.
    save(
        session,
        Closure(service_id=public.id, start=date(2027, 1, 13), end=date(2027, 1, 13)),
        SYSTEM,
    )
    for slug, values in (
        ("pro", {"visibility": Visibility.professionals}),
        ("draft", {"status": "draft"}),
    ):
        hidden = make_service(session, org, slug, name=f"Caché {slug}", **values)
        save(
            session,
            Permanence(service_id=hidden.id, place_id=place.id, opening_hours=HOURS),
            SYSTEM,
        )
    session.commit()
    assert place.qpv_code is not None
    return place.qpv_code


def test_the_qpv_feed_equals_the_sites_sessions_for_six_months(
    client: TestClient, session: Session, qpv_code: str, pinned: None
) -> None:
    response = client.get(f"/qpv/{qpv_code}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert 'rel="license"' in response.headers["link"]
    calendar = icalendar.Calendar.from_ical(response.text)
    end = NOW + timedelta(days=183)
    events = recurring_ical_events.of(calendar).between(NOW, end)
    seen = sorted((e["DTSTART"].dt, e["DTEND"].dt) for e in events)
    schedule = hours.Schedule(HOURS)
    closure = hours.closure_period(date(2027, 1, 13), date(2027, 1, 13))
    site = [(s.start, s.end) for s in schedule.sessions(NOW, end, [closure])]
    assert len(site) >= 10
    assert seen == site
    assert all("Caché" not in str(e["SUMMARY"]) for e in events)
    assert {str(e["SUMMARY"]) for e in events} == {"=Épicerie – Asso du Sanitas"}
    # Stable UIDs: a subscribed calendar updates its events, never doubles them.
    again = icalendar.Calendar.from_ical(client.get(f"/qpv/{qpv_code}.ics").text)
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in again.walk("VEVENT")]
    assert len(set(uids)) == len(uids)


def test_the_feed_filters_by_theme_and_knows_no_unknown_qpv(
    client: TestClient, qpv_code: str, pinned: None
) -> None:
    other = client.get(f"/qpv/{qpv_code}.ics", params={"theme": "sante--addictions"})
    assert other.status_code == 200
    assert icalendar.Calendar.from_ical(other.text).walk("VEVENT") == []
    same = client.get(f"/qpv/{qpv_code}.ics", params={"theme": FOOD})
    assert icalendar.Calendar.from_ical(same.text).walk("VEVENT")
    assert client.get("/qpv/QN00000X.ics").status_code == 404


def test_the_search_as_csv_neutralises_formulas_and_speaks_the_language(
    client: TestClient, session: Session, qpv_code: str, pinned: None
) -> None:
    response = client.get("/exports/services.csv", params={"lang": "en"})
    assert response.status_code == 200
    assert 'rel="license"' in response.headers["link"]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    header, body = rows[0], [r for r in rows[1:] if len(r) > 1]
    assert header[0] == "Service" and "Town" in header
    assert [r[0] for r in body] == ["'=Épicerie"]
    assert "Licence" in rows[-1][0]
    names = {s.name for s in session.exec(select(Service))}
    assert "Caché pro" in names  # it exists, and stays out of the file


def test_the_results_page_links_its_search_as_csv(
    client: TestClient, qpv_code: str, pinned: None
) -> None:
    page = client.get("/en/services", params={"category": "equipement-et-alimentation"})
    assert page.status_code == 200
    match = re.search(r'href="(/exports/services\.csv\?[^"]+)"', page.text)
    assert match, "a CSV link on the results page"
    response = client.get(html.unescape(match.group(1)))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][1] == "Organisation"
    assert [r[0] for r in rows[1:] if len(r) > 1] == ["'=Épicerie"]


def test_a_lone_service_on_the_map_says_who_what_and_where(
    client: TestClient, qpv_code: str
) -> None:
    body = client.get("/api/v1/services.geojson").json()
    [feature] = body["features"]
    properties = feature["properties"]
    assert properties["name"] == "=Épicerie" and properties["count"] == 1
    assert properties["organization"] == "Asso du Sanitas"
    assert properties["categories"] == [FOOD]
    assert properties["town"] == "Tours"
    assert "phone" in properties
