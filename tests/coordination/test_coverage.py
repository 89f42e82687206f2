"""Coverage: the QPV × theme matrix and its choropleth."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.coordination.helpers import (
    MALAKOFF_QPV,
    NANTES,
    SANITAS_QPV,
    TOURS,
    build_cities,
    coordinator,
)


def _cell(html: str, qpv: str, category: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one(f'a[href*="qpv={qpv}"][href$="category={category}"]')
    assert link is not None, f"no cell for {qpv} × {category}"
    return link.get_text(" ", strip=True)


def test_a_weekly_service_covers_its_qpv_and_a_fortnightly_one_does_not(
    client: TestClient, session: Session
) -> None:
    build_cities(session)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    html = tours.get("/fr/coordination/couverture").text
    assert _cell(html, SANITAS_QPV, "equipement-et-alimentation").startswith("1")
    # Every other week: the Sanitas has no weekly health service, a gap.
    assert "aucun" in _cell(html, SANITAS_QPV, "sante")
    cell = BeautifulSoup(html, "html.parser").select_one(
        f'a[href="/fr/services?qpv={SANITAS_QPV}&category=sante"]'
    )
    assert cell is not None and "gap" in cell.parent["class"]


def test_a_tours_coordinator_sees_nothing_of_nantes(
    client: TestClient, session: Session
) -> None:
    build_cities(session)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    html = tours.get("/fr/coordination/couverture").text
    assert "Malakoff" not in html and MALAKOFF_QPV not in html
    script = tours.get("/fr/coordination/couverture/carte.js?theme=sante")
    assert script.status_code == 200
    assert "Malakoff" not in script.text and "Sanitas" in script.text
    nantes = coordinator(client, session, "nantes@example.org", [NANTES])
    html = nantes.get("/fr/coordination/couverture").text
    assert "Sanitas" not in html
    assert _cell(html, MALAKOFF_QPV, "sante").startswith("1")


def test_the_choropleth_is_a_script_of_the_chosen_theme(
    client: TestClient, session: Session
) -> None:
    build_cities(session)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    page = tours.get("/ar/coordination/couverture?theme=sante").text
    assert "/ar/coordination/couverture/carte.js?theme=sante" in page
    assert 'id="map_coverage"' in page
    script = tours.get("/ar/coordination/couverture/carte.js?theme=sante")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "no-store" in script.headers["cache-control"]
    assert '"count": 0' in script.text  # no weekly health service at the Sanitas


def test_coverage_needs_a_coordinator(client: TestClient, session: Session) -> None:
    response = client.get(
        "/fr/coordination/couverture/carte.js", follow_redirects=False
    )
    assert response.status_code == 303


def test_a_coordinator_without_qpv_sees_an_empty_state(
    client: TestClient, session: Session
) -> None:
    build_cities(session)
    nowhere = coordinator(client, session, "rural@example.org", ["37001"])
    html = nowhere.get("/fr/coordination/couverture").text
    assert "Aucun quartier prioritaire" in html
