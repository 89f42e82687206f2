"""Quality: listings that need work, and the FALC score distribution."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Permanence, TranslationStatus
from api.services.listings.revisions import SYSTEM, save
from tests.coordination.helpers import (
    NANTES,
    TOURS,
    build_cities,
    coordinator,
    count_searches,
)
from tests.factories import make_translation


def _problems(html: str, name: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    link = soup.find("a", string=name)
    assert link is not None, f"{name} not listed"
    return link.find_parent("tr").select_one("ul.problems").get_text(" ")


def test_listings_are_flagged_for_what_they_lack(
    client: TestClient, session: Session
) -> None:
    cities = build_cities(session)
    count_searches(session, 9, commune=TOURS, language="ar")
    count_searches(session, 6, commune=TOURS, language="uk")
    count_searches(session, 30, commune=TOURS, language="fr")
    make_translation(
        session,
        "service",
        cities.weekly.id,
        "ar",
        "بقالة",
        TranslationStatus.reviewed,
        field="description",
    )
    save(
        session,
        Permanence(
            service_id=cities.weekly.id,
            opening_hours="Mo 10:00-12:00; Mo 11:00-13:00 off; easter off",
        ),
        SYSTEM,
    )
    session.commit()
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    html = tours.get("/fr/coordination/qualite").text
    weekly = _problems(html, "Épicerie solidaire")
    assert "sans résumé facile à lire" in weekly
    assert "Українська" in weekly and "العربية" not in weekly
    assert "sans téléphone" not in weekly  # it has one
    assert "horaires impossibles à dire en mots" in weekly
    fortnightly = _problems(html, "Bilan de santé")
    assert "sans téléphone" in fortnightly
    assert "horaires" not in fortnightly  # every other week is said in words
    assert "Consultation Malakoff" not in html  # Nantes
    link = BeautifulSoup(html, "html.parser").find("a", string="Bilan de santé")
    assert tours.get(link["href"]).status_code == 200  # its form, to complete it


def test_quality_filters_by_problem_and_draws_the_falc_scores(
    client: TestClient, session: Session
) -> None:
    build_cities(session)
    nantes = coordinator(client, session, "nantes@example.org", [NANTES])
    html = nantes.get("/ar/coordination/qualite?probleme=phone").text
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("a", string="Consultation Malakoff") is not None
    svg = soup.select_one("svg.bar-chart")
    assert svg["role"] == "img" and svg.select_one("title").get_text()
    rows = {
        tr.th.get_text(): tr.td.get_text()
        for tr in soup.select("table.falc-distribution tbody tr")
    }
    assert sum(int(n) for n in rows.values()) == 1  # one listing, one score
    assert str(1) in svg.select_one("desc").get_text()
    assert "Épicerie" not in html  # Tours


def test_an_unknown_problem_shows_every_listing_needing_work(
    client: TestClient, session: Session
) -> None:
    build_cities(session)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    response = tours.get("/fr/coordination/qualite?probleme=<script>")
    assert response.status_code == 200
    assert "Bilan de santé" in response.text
