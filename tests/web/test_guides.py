"""The QPV guide and the referral sheet: each schedule with its place, no line
twice, and a sheet whose removals, branch, note and date live in its URL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.main import app
from api.models import Closure, Permanence, Place, Service
from api.routes.http import now_paris
from api.services.listings.revisions import SYSTEM, save
from api.services.printouts.guides import THEME_ORDER
from api.services.printouts.selection import MAX_SELECTION, NOTE_MAX, parse
from api.services.schedules.hours import PARIS
from api.vocabulary import CATEGORIES
from tests.factories import make_organization, make_place, make_service
from tests.territory import MALAKOFF, SANITAS, Territory

NOW = datetime(2026, 12, 9, 10, 0, tzinfo=PARIS)
THURSDAY = "jeudi, 9 h – 12 h"
TUESDAY = "mardi, 14 h – 17 h"


@dataclass
class Branches:
    """A service held in three places: one in the Sanitas QPV, two elsewhere."""

    service: Service
    sanitas: Place
    malakoff: Place
    centre: Place


@pytest.fixture
def at(client: TestClient) -> Iterator[datetime]:
    """The pages' "now", pinned: 9 Dec 2026 (the ended permanence is over)."""
    app.dependency_overrides[now_paris] = lambda: NOW
    yield NOW
    app.dependency_overrides.pop(now_paris, None)


@pytest.fixture
def branches(session: Session, territory: Territory) -> Branches:
    org = make_organization(session, "ccas-test", name="CCAS test")
    sanitas = make_place(
        session,
        org,
        "antenne-sanitas",
        name="Antenne Sanitas",
        address="1 rue du Sanitas",
        postal_code="37000",
        lat=SANITAS[0] + 0.0002,
        lon=SANITAS[1],
    )
    malakoff = make_place(
        session,
        org,
        "antenne-malakoff",
        name="Antenne Malakoff",
        address="2 rue de Malakoff",
        commune="Nantes",
        lat=MALAKOFF[0],
        lon=MALAKOFF[1],
    )
    centre = make_place(
        session,
        org,
        "antenne-centre",
        name="Antenne Centre",
        address="3 rue Nationale",
        lat=47.3930,
        lon=0.6880,
    )
    service = make_service(
        session,
        org,
        "accueil",
        name="Accueil social",
        categories=[
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
        ],
    )
    for place, hours in (
        (sanitas, "Th 09:00-12:00"),
        (sanitas, "Th 09:00-12:00"),  # the same line entered twice
        (malakoff, "Th 09:00-12:00"),
        (centre, "Tu 14:00-17:00"),
    ):
        save(
            session,
            Permanence(service_id=service.id, place_id=place.id, opening_hours=hours),
            SYSTEM,
        )
    # Ended: never printed.
    save(
        session,
        Permanence(
            service_id=service.id,
            place_id=sanitas.id,
            opening_hours="Sa 10:00-12:00",
            valid_until=date(2026, 11, 30),
        ),
        SYSTEM,
    )
    session.commit()
    return Branches(service, sanitas, malakoff, centre)


def close_for_holidays(session: Session, place: Place) -> None:
    save(
        session,
        Closure(
            place_id=place.id,
            start=date(2026, 12, 21),
            end=date(2027, 1, 3),
            reason="Congés",
        ),
        SYSTEM,
    )
    session.commit()


def soup_of(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.text
    return BeautifulSoup(response.text, "html.parser")


def blocks(entry: Tag) -> list[tuple[list[str], list[str]]]:
    """(hours lines, place lines) of each where-and-when block of an entry."""
    return [
        (
            [p.get_text(" ", strip=True) for p in block.select(".ww-hours")],
            [li.get_text(" ", strip=True) for li in block.select(".ww-places li")],
        )
        for block in entry.select(".ww")
    ]


def entry_named(soup: BeautifulSoup, name: str) -> Tag:
    found = [
        e
        for e in soup.select(".guide-entry")
        if name in e.select_one(".entry-title").get_text()
    ]
    assert len(found) == 1, [
        e.select_one(".entry-title").get_text() for e in soup.select(".guide-entry")
    ]
    return found[0]


def test_every_theme_has_a_rank_food_and_housing_first() -> None:
    assert sorted(THEME_ORDER) == sorted(CATEGORIES)
    assert THEME_ORDER[:3] == (
        "equipement-et-alimentation",
        "logement-hebergement",
        "sante",
    )


def test_the_guide_keeps_only_the_neighbourhood_places_each_with_its_hours(
    client: TestClient, session: Session, branches: Branches, at: datetime
) -> None:
    close_for_holidays(session, branches.sanitas)
    soup = soup_of(client, "/fr/qpv/QN03709M")
    entry = entry_named(soup, "Accueil social")
    assert blocks(entry) == [
        ([THURSDAY], ["Antenne Sanitas, 1 rue du Sanitas, 37000 Tours"])
    ]
    closure = entry.select_one(".ww .closure-banner").get_text(" ", strip=True)
    assert closure == "Fermé du 21 décembre 2026 au 3 janvier 2027 — Congés"
    text = entry.get_text(" ", strip=True)
    assert "Malakoff" not in text and "Antenne Centre" not in text
    assert "samedi" not in text  # the ended permanence
    # Themes in the order residents ask: food before papers.
    groups = [h.get_text() for h in soup.select(".guide-group > h2")]
    assert groups == [
        "Équipement et alimentation",
        "Difficultés administratives ou juridiques",
    ]
    # The QR code scales to its box (a viewBox, no fixed size): never cropped.
    qr = soup.select_one(".guide-qr svg")
    assert qr["viewbox"] and not qr.get("width")


def sheet_url(*ids: object, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/fr/selection?ids={','.join(str(i) for i in ids)}" + (
        f"&{query}" if query else ""
    )


def test_the_sheet_pairs_hours_with_places_and_merges_identical_ones(
    client: TestClient, session: Session, branches: Branches, at: datetime
) -> None:
    soup = soup_of(client, sheet_url(branches.service.id, edit="1"))
    entry = entry_named(soup, "Accueil social")
    assert blocks(entry) == [
        (
            [THURSDAY],
            [
                "Antenne Sanitas, 1 rue du Sanitas, 37000 Tours",
                "Antenne Malakoff, 2 rue de Malakoff, Nantes",
            ],
        ),
        ([TUESDAY], ["Antenne Centre, 3 rue Nationale, Tours"]),
    ]
    # Every line once: the duplicate permanence and the ended one are gone.
    lines = [p.get_text(" ", strip=True) for p in entry.select(".ww-hours")]
    assert len(lines) == len(set(lines)) and "samedi" not in entry.get_text()
    # Only the Sanitas branch closes for the holidays: its own block says so.
    close_for_holidays(session, branches.sanitas)
    soup = soup_of(client, sheet_url(branches.service.id, edit="1"))
    entry = entry_named(soup, "Accueil social")
    assert blocks(entry) == [
        ([THURSDAY], ["Antenne Sanitas, 1 rue du Sanitas, 37000 Tours"]),
        ([THURSDAY], ["Antenne Malakoff, 2 rue de Malakoff, Nantes"]),
        ([TUESDAY], ["Antenne Centre, 3 rue Nationale, Tours"]),
    ]
    assert [len(b.select(".closure-banner")) for b in entry.select(".ww")] == [1, 0, 0]
    options = [o["value"] for o in entry.select("select option")]
    assert options == [
        "",
        branches.sanitas.id.hex,
        branches.malakoff.id.hex,
        branches.centre.id.hex,
    ]


def test_choosing_a_branch_keeps_only_its_hours(
    client: TestClient,
    session: Session,
    branches: Branches,
    territory: Territory,
    at: datetime,
) -> None:
    close_for_holidays(session, branches.sanitas)
    service = branches.service.id
    response = client.get(
        sheet_url(service, territory.grocery.id, edit="1", update="1")
        + f"&at.{service.hex}={branches.centre.id.hex}&at.{territory.grocery.id.hex}=",
        follow_redirects=False,
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert parse_qs(urlsplit(location).query) == {
        "ids": [f"{service.hex},{territory.grocery.id.hex}"],
        f"at.{service.hex}": [branches.centre.id.hex],
        "edit": ["1"],  # the social worker stays on the form
    }
    soup = soup_of(client, location)
    entry = entry_named(soup, "Accueil social")
    assert blocks(entry) == [([TUESDAY], ["Antenne Centre, 3 rue Nationale, Tours"])]
    assert entry.select(".closure-banner") == []  # the Sanitas branch's, not this
    chosen = entry.select_one("option[selected]")
    assert chosen["value"] == branches.centre.id.hex
    # What is shared is the sheet alone, without the form.
    sms = soup.select_one(".sheet-share a[href^='sms:']")["href"]
    assert f"at.{service.hex}%3D{branches.centre.id.hex}" in sms and "edit" not in sms
    # A place of another service is no choice: every place is shown.
    other = soup_of(
        client,
        sheet_url(service) + f"&at.{service.hex}={territory.grocery.id.hex}",
    )
    assert len(blocks(entry_named(other, "Accueil social"))) == 3


def test_removing_an_item_goes_to_the_clean_url(
    client: TestClient, branches: Branches, territory: Territory, at: datetime
) -> None:
    service, grocery = branches.service.id, territory.grocery.id
    response = client.get(
        sheet_url(service, grocery, note="RDV", date="", edit="1", update="")
        + f"&remove={service.hex}&at.{service.hex}={branches.centre.id.hex}",
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith(
        f"/fr/selection?ids={grocery.hex}&note=RDV&edit=1"
    )
    assert "set-cookie" not in response.headers
    soup = soup_of(client, response.headers["location"])
    assert [h.get_text(strip=True) for h in soup.select(".entry-title")] == [
        "Épicerie solidaire"
    ]
    # The remove buttons belong to the same GET form as the note: nothing typed
    # is lost, and Enter in a field presses "update", the form's first button.
    form = soup.select_one("form.sheet-form")
    assert form["method"] == "get"
    assert form.select("button[type=submit]")[0]["name"] == "update"
    assert form.select_one("button[name=remove]")["value"] == grocery.hex


def test_note_and_date_round_trip_through_the_url(
    client: TestClient, territory: Territory, at: datetime
) -> None:
    grocery = territory.grocery.id
    response = client.get(
        "/fr/selection",
        params={
            "ids": str(grocery),
            "note": "  Venir   avec la carte Vitale ",
            "date": "12/01/2027",
            "edit": "1",
            "update": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    soup = soup_of(client, response.headers["location"])
    memo = soup.select_one(".sheet-memo")
    assert memo.select_one("time")["datetime"] == "2027-01-12"
    assert memo.select_one("time").get_text() == "mardi 12 janvier 2027"
    assert memo.select_one(".sheet-note").get_text() == "Venir avec la carte Vitale"
    assert soup.select_one("#sheet-note")["value"] == "Venir avec la carte Vitale"
    assert soup.select_one("#sheet-date")["value"] == "2027-01-12"
    # What is shared is this very sheet.
    sms = soup.select_one(".sheet-share a[href^='sms:']")["href"]
    assert "date%3D2027-01-12" in sms and f"ids%3D{grocery.hex}" in sms
    assert soup.select_one(".sheet-share a[href^='mailto:']")
    assert soup.select_one(".sheet-qr [role=img] svg")


def test_a_wrong_date_is_said_and_nothing_else_is_lost(
    client: TestClient, territory: Territory, at: datetime
) -> None:
    response = client.get(
        "/fr/selection",
        params={
            "ids": str(territory.grocery.id),
            "note": "Bonjour",
            "date": "31/02/2027",
            "edit": "1",
            "update": "1",
        },
    )
    assert response.status_code == 200  # no redirect: the field stays to correct
    soup = BeautifulSoup(response.text, "html.parser")
    assert "Date non reconnue" in soup.select_one(".sheet-notice").get_text()
    field = soup.select_one("#sheet-date")
    assert field["value"] == "31/02/2027" and field["aria-invalid"] == "true"
    assert soup.select_one("#sheet-note")["value"] == "Bonjour"
    assert "date=" not in soup.select_one(".sheet-share a[href^='sms:']")["href"]


ARABIC = "موعد يوم الثلاثاء مع المساعدة الاجتماعية، أحضر بطاقة الإقامة"
XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.mark.parametrize(
    ("note", "shown"),
    [
        (XSS, XSS),
        (ARABIC, ARABIC),
        ("x" * 5000, "x" * NOTE_MAX),
        # Line breaks, NUL and a right-to-left override (text spoofing) folded.
        ("ligne 1\nligne 2\u0000\u202e fin", "ligne 1 ligne 2 fin"),
    ],
)
def test_hostile_notes_are_escaped_and_limited(
    client: TestClient, territory: Territory, at: datetime, note: str, shown: str
) -> None:
    response = client.get(
        "/fr/selection",
        params={"ids": str(territory.grocery.id), "note": note, "edit": "1"},
    )
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert "<img src=x" not in response.text
    soup = BeautifulSoup(response.text, "html.parser")
    memo = soup.select_one(".sheet-note")
    assert memo.get_text() == shown and memo["dir"] == "auto"
    assert soup.select_one("#sheet-note")["value"] == shown
    cut = soup.select_one(".sheet-notice")
    assert (cut is not None and "280 caractères" in cut.get_text()) == (
        len(note) > NOTE_MAX
    )


def test_unknown_and_damaged_ids_are_named_and_the_rest_is_shown(
    client: TestClient, territory: Territory, at: datetime
) -> None:
    ids = (
        f"{territory.grocery.id},not-an-id,{territory.draft.id},{territory.deleted.id}"
    )
    soup = soup_of(client, f"/fr/selection?ids={ids}")
    notice = soup.select_one(".sheet-notice").get_text(" ", strip=True)
    assert "3 services de ce lien n'existent plus" in notice
    assert [h.get_text(strip=True) for h in soup.select(".entry-title")] == [
        "Épicerie solidaire"
    ]
    # The shared link keeps only what is on the sheet.
    sms = soup.select_one(".sheet-share a[href^='sms:']")["href"]
    assert territory.draft.id.hex not in sms and "not-an-id" not in sms
    nothing = soup_of(client, f"/fr/selection?ids={territory.draft.id}")
    assert "1 service de ce lien n'existe plus" in nothing.get_text(" ", strip=True)
    assert "La sélection est vide" in nothing.get_text()


def test_french_fallback_is_marked_on_guide_and_sheet(
    client: TestClient, territory: Territory, at: datetime
) -> None:
    for url in ("/ar/qpv/QN03709M", f"/ar/selection?ids={territory.grocery.id}"):
        soup = soup_of(client, url)
        title = soup.select_one(".entry-title")
        assert (
            title.select_one("[lang=fr]").get_text(strip=True) == "Épicerie solidaire"
        )
        assert title.select_one(".in-french").get_text() == "بالفرنسية"
        assert soup.select_one(".falc [lang=fr]")
    french = soup_of(client, "/fr/qpv/QN03709M")
    assert not french.select(".in-french") and not french.select(
        ".entry-title [lang=fr]"
    )


def test_the_person_gets_the_sheet_without_the_form(
    client: TestClient, branches: Branches, at: datetime
) -> None:
    url = sheet_url(branches.service.id, note="RDV", date="2027-01-12")
    soup = soup_of(client, url)
    assert soup.select(".sheet form, .sheet select, .sheet input") == []
    edit = soup.select_one(".sheet-edit-link a")["href"]
    assert parse_qs(urlsplit(edit).query)["edit"] == ["1"]
    form = soup_of(client, edit).select_one("form.sheet-form")
    assert form.select_one("#sheet-note")["value"] == "RDV"
    assert form.select_one("input[name=edit]")["value"] == "1"


def test_the_sheet_state_survives_any_link() -> None:
    a, b, c = (f"{n:032x}" for n in (10, 11, 12))
    state = parse(
        {
            "ids": f"{a}, {b},junk,{a},,{c}",
            f"at.{b}": "not-a-place",
            f"at.{c}": f"{13:032x}",
            "at.junk": f"{14:032x}",
            "date": "2027-02-30",
            "note": "\t ok \r\n",
        },
        removed=[a, "junk"],
    )
    assert [i.hex for i in state.ids] == [b, c]  # order kept, duplicates once
    assert state.damaged == 1 and state.bad_date == "2027-02-30" and not state.day
    assert {k.hex: v.hex for k, v in state.places.items()} == {c: f"{13:032x}"}
    assert state.note == "ok" and state.edited and not state.editing
    assert state.query() == f"ids={b}%2C{c}&at.{c}={13:032x}&note=ok"
    many = parse({"ids": ",".join(f"{n:032x}" for n in range(MAX_SELECTION + 5))})
    assert len(many.ids) == MAX_SELECTION and many.dropped_over_max == 5
