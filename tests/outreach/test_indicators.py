"""The fiche 4.1.3 indicators on a fixture with known answers: totals, trends,
k-anonymity, the CSV equal to the page, the SVG charts, territory scoping."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import OutreachAction, Registration, RightsCheck, utcnow
from api.services.listings.revisions import SYSTEM, save
from tests.outreach.helpers import (
    EUROPE,
    MALAKOFF,
    SANITAS,
    World,
    coordinator,
    make_world,
)

NOVEMBER = date(2026, 11, 10)
OCTOBER = date(2026, 10, 10)


def _add_action(
    session: Session,
    org: object,
    day: date,
    kind: str,
    qpv: str,
    people: tuple[int, int, int],
) -> OutreachAction:
    met, oriented, new = people
    action = OutreachAction(
        day=day,
        type=kind,
        qpv_code=qpv,
        organization_id=org.id,  # type: ignore[attr-defined]
        people_met=met,
        people_oriented=oriented,
        people_new=new,
    )
    save(session, action, SYSTEM)
    return action


def _add_check(session: Session, org: object, qpv: str, **values: object) -> None:
    session.add(
        RightsCheck(day=NOVEMBER, qpv_code=qpv, organization_id=org.id, **values)  # type: ignore[attr-defined]
    )


def build_fixture(session: Session) -> World:
    world = make_world(session)
    tours, nantes = world.tours, world.nantes
    _add_action(session, tours, NOVEMBER, "stand", SANITAS, (10, 6, 5))
    _add_action(session, tours, NOVEMBER, "door_to_door", SANITAS, (8, 4, 1))
    _add_action(session, tours, NOVEMBER, "stand", EUROPE, (3, 1, 0))
    _add_action(session, tours, OCTOBER, "workshop", SANITAS, (7, 2, 0))
    _add_action(session, nantes, NOVEMBER, "stand", MALAKOFF, (50, 30, 20))
    gone = _add_action(session, tours, NOVEMBER, "event", SANITAS, (100, 0, 0))
    gone.deleted_at = utcnow()
    save(session, gone, SYSTEM)
    for month, qpv, org, counts in (
        (date(2026, 11, 1), SANITAS, tours, (9, 12)),
        (date(2026, 10, 1), SANITAS, tours, (6, 3)),
        (date(2026, 11, 1), MALAKOFF, nantes, (40, 40)),
    ):
        save(
            session,
            Registration(
                organization_id=org.id,
                month=month,
                qpv_code=qpv,
                new_registrations=counts[0],
                first_visits=counts[1],
            ),
            SYSTEM,
        )
    for _ in range(5):
        _add_check(
            session, tours, SANITAS, mobilised=["rsa"], not_mobilised=["css"],
            reasons=["unknown"], confidence_before=1, confidence_after=3,
        )  # fmt: skip
    _add_check(
        session, tours, SANITAS, mobilised=["rsa"], not_mobilised=["css", "energie"],
        reasons=["language"], confidence_before=3, confidence_after=2,
    )  # fmt: skip
    for _ in range(10):
        _add_check(session, nantes, MALAKOFF, mobilised=["aah"], reasons=["digital"])
    session.commit()
    return world


def page_tables(html: str) -> dict[str, list[list[str]]]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        table["data-table"]: [
            [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
            for row in table.select("tbody tr")
        ]
        for table in soup.select("table.indicator-table")
    }


def rows_of(tables: dict[str, list[list[str]]], key: str) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in tables[key]}


@pytest.fixture
def tours_page(client: TestClient, session: Session) -> tuple[object, str]:
    build_fixture(session)
    browser = coordinator(client, session, "coord@tours.fr", [SANITAS, EUROPE])
    return browser, browser.get("/fr/coordination/indicateurs?periode=2026-11").text


def test_indicator_totals_match_the_known_answers(
    tours_page: tuple[object, str],
) -> None:
    tables = page_tables(tours_page[1])
    actions = rows_of(tables, "actions")
    assert actions["Toutes les actions"] == ["3", "1", "+2"]
    assert actions["Stand mobile"] == ["2", "0", "+2"]
    assert actions["Porte-à-porte"] == ["1", "0", "+1"]
    assert actions["Atelier collectif"] == ["0", "1", "−1"]
    assert actions["Événement"] == ["0", "0", "="]  # the deleted one is not counted
    people = rows_of(tables, "people")
    assert people["Personnes rencontrées"] == ["21", "7", "+14"]
    assert people["Personnes orientées vers un service"] == ["11", "< 5", "—"]
    assert people["dont nouvelles pour la structure"] == ["6", "< 5", "—"]
    assert people["Nouvelles inscriptions déclarées par les structures"] == [
        "9",
        "6",
        "+3",
    ]
    assert people["Premières visites déclarées par les structures"] == [
        "12",
        "< 5",
        "—",
    ]
    rights = rows_of(tables, "rights")
    assert rights["Diagnostics des droits réalisés"] == ["6", "< 5", "—"]
    assert rights["Droits mobilisés"][0] == "6"
    assert rights["Droits non mobilisés"][0] == "7"
    assert rights["Personnes ayant regagné confiance dans les institutions"][0] == "5"
    reasons = rows_of(tables, "reasons")
    assert reasons["Ne connaissait pas ce droit"][0] == "5"
    assert reasons["Barrière de la langue"][0] == "< 5"
    unclaimed = rows_of(tables, "unclaimed")
    assert unclaimed["Complémentaire santé solidaire"][0] == "6"
    assert unclaimed["Chèque énergie"][0] == "< 5"
    qpvs = {row[0]: row[1:] for row in tables["qpvs"]}
    assert qpvs["Sanitas"][:7] == [SANITAS, "2", "18", "10", "6", "6", "5"]
    assert qpvs["Europe"][:7] == [EUROPE, "1", "< 5", "< 5", "< 5", "< 5", "< 5"]
    assert "jamais affiché" in tours_page[1]  # the rule is stated


def test_the_csv_says_what_the_page_says(tours_page: tuple[object, str]) -> None:
    browser, html = tours_page
    response = browser.get("/fr/coordination/indicateurs.csv?periode=2026-11")  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.text)))
    tables = page_tables(html)
    indicator_lines = [line for line in lines[1 : lines.index([])]]
    page_lines = [
        row for key in ("actions", "people", "rights", "reasons", "unclaimed")
        for row in tables[key]
    ]  # fmt: skip
    assert [line[2:] for line in indicator_lines] == page_lines
    qpv_lines = lines[lines.index([]) + 2 :]
    assert qpv_lines == [row[:-1] for row in tables["qpvs"]]  # minus the link
    assert lines[0][3:5] == ["novembre 2026", "octobre 2026"]


def test_the_spreadsheet_csv_uses_semicolons_and_a_byte_order_mark(
    tours_page: tuple[object, str],
) -> None:
    browser, _html = tours_page
    response = browser.get("/fr/coordination/indicateurs-tableur.csv?periode=2026-11")  # type: ignore[attr-defined]
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    plain = browser.get("/fr/coordination/indicateurs.csv?periode=2026-11").text  # type: ignore[attr-defined]
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == list(
        csv.reader(io.StringIO(plain))
    )


def test_charts_hold_the_values_and_text_alternatives(
    tours_page: tuple[object, str],
) -> None:
    soup = BeautifulSoup(tours_page[1], "html.parser")
    svg = soup.select_one("#s-people svg")
    assert svg["role"] == "img"
    title, desc = svg.find("title"), svg.find("desc")
    assert svg["aria-labelledby"] == f"{title['id']} {desc['id']}"
    assert title.text == "Personnes touchées et nouvelles inscriptions"
    assert "Personnes rencontrées : 21" in desc.text
    assert "Premières visites déclarées par les structures : 12" in desc.text
    values = [t.text for t in svg.select("text.chart-value")]
    assert values == ["21", "11", "6", "< 5", "9", "12"]  # referrals: none here
    bars = [int(r["width"]) for r in svg.select("rect")]
    assert bars[0] == max(bars) and bars[1] < bars[0]
    actions = soup.select_one("#s-actions svg")
    assert "Toutes les actions : 3" in actions.find("desc").text
    # A masked count draws no bar: its length would tell it.
    rights = soup.select_one("#s-reasons svg")
    pairs = zip(rights.select("rect"), rights.select("text.chart-value"), strict=True)
    masked = [rect for rect, value in pairs if value.text == "< 5"]
    assert masked and all(rect["width"] == "0" for rect in masked)


def test_a_tours_coordinator_sees_nothing_of_nantes(
    client: TestClient, session: Session
) -> None:
    build_fixture(session)
    tours = coordinator(client, session, "coord@tours.fr", [SANITAS, EUROPE])
    page = tours.get("/fr/coordination/indicateurs?periode=2026-11").text
    exported = tours.get("/fr/coordination/indicateurs.csv?periode=2026-11").text
    for text in (page, exported):
        assert "Malakoff" not in text and MALAKOFF not in text
    cells = {
        cell for rows in page_tables(page).values() for row in rows for cell in row
    }
    cells |= {cell for line in csv.reader(io.StringIO(exported)) for cell in line}
    assert not {"50", "40", "30", "20"} & cells  # Malakoff's figures
    assert (
        tours.get(
            f"/fr/coordination/indicateurs?periode=2026-11&qpv={MALAKOFF}"
        ).status_code
        == 404
    )
    assert (
        tours.get(f"/fr/coordination/indicateurs.csv?qpv={MALAKOFF}").status_code == 404
    )
    assert (
        tours.get(f"/fr/coordination/indicateurs/{MALAKOFF}/rapport").status_code == 404
    )
    tours.client.cookies.clear()
    nantes = coordinator(client, session, "coord@nantes.fr", [MALAKOFF])
    tables = page_tables(
        nantes.get("/fr/coordination/indicateurs?periode=2026-11").text
    )
    assert rows_of(tables, "people")["Personnes rencontrées"][0] == "50"
    assert rows_of(tables, "rights")["Diagnostics des droits réalisés"][0] == "10"
    assert [row[0] for row in tables["qpvs"]] == ["Malakoff"]


def test_one_qpv_and_its_printable_report(client: TestClient, session: Session) -> None:
    build_fixture(session)
    tours = coordinator(client, session, "coord@tours.fr", [SANITAS, EUROPE])
    filtered = page_tables(
        tours.get(f"/fr/coordination/indicateurs?periode=2026-11&qpv={SANITAS}").text
    )
    assert rows_of(filtered, "people")["Personnes rencontrées"] == ["18", "7", "+11"]
    assert "qpvs" not in filtered
    report = tours.get(
        f"/ar/coordination/indicateurs/{SANITAS}/rapport?periode=2026-11"
    )
    assert report.status_code == 200
    soup = BeautifulSoup(report.text, "html.parser")
    assert soup.select_one("html")["dir"] == "rtl"
    assert "Sanitas" in soup.select_one("h1").text
    tables = page_tables(report.text)
    assert tables["people"][0][1:] == ["18", "7", "+11"]
    exported = tours.get(
        f"/fr/coordination/indicateurs.csv?periode=2026-11&qpv={SANITAS}"
    ).text
    assert "Personnes rencontrées,18,7,+11" in exported


def test_quarters_and_years_compare_with_the_period_before(
    client: TestClient, session: Session
) -> None:
    build_fixture(session)
    tours = coordinator(client, session, "coord@tours.fr", [SANITAS, EUROPE])
    quarter = page_tables(
        tours.get("/fr/coordination/indicateurs?periode=2026-T4").text
    )
    assert rows_of(quarter, "actions")["Toutes les actions"] == ["4", "0", "+4"]
    assert tours.get("/fr/coordination/indicateurs?periode=2026-13").status_code == 404
    assert tours.get("/fr/coordination/indicateurs?periode=<script>").status_code in (
        404,
        422,
    )


def test_partners_without_a_territory_cannot_open_the_indicators(
    client: TestClient, session: Session
) -> None:
    from tests.outreach.helpers import member

    world = build_fixture(session)
    partner = member(client, session, "anna@tours.fr", world.tours)
    assert partner.get("/fr/coordination/indicateurs").status_code == 403
    assert partner.get("/fr/coordination/indicateurs.csv").status_code == 403
    partner.client.cookies.clear()
    anonymous = client.get("/fr/coordination/indicateurs.csv", follow_redirects=False)
    assert anonymous.status_code == 303


def test_arabic_charts_draw_from_the_right(
    client: TestClient, session: Session
) -> None:
    build_fixture(session)
    tours = coordinator(client, session, "coord@tours.fr", [SANITAS, EUROPE])
    soup = BeautifulSoup(
        tours.get("/ar/coordination/indicateurs?periode=2026-11").text, "html.parser"
    )
    svg = soup.select_one("#s-people svg")
    assert svg["direction"] == "ltr"  # anchors are physical, whatever the page
    label = svg.select_one("text.chart-label")
    assert (label["x"], label["text-anchor"]) == ("320", "end")
    bar = svg.select_one("rect")
    assert int(bar["x"]) + int(bar["width"]) == 320
    assert "الأشخاص الذين تمت مقابلتهم : 21" in svg.find("desc").text
