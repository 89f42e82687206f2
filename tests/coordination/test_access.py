"""Who may open the coordinators' space."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.coordination.helpers import TOURS, build_cities, coordinator, count_searches
from tests.espace.helpers import Browser, make_coordinator, signed_in
from tests.factories import make_organization


def test_a_signed_out_visitor_is_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/fr/coordination/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/fr/espace/connexion")
    assert "reperes_espace" not in response.cookies


def test_a_partner_without_territory_is_refused(
    client: TestClient, session: Session
) -> None:
    organization = make_organization(session, "asso")
    session.commit()
    browser = signed_in(client, session, "membre@example.org", organization)
    response = browser.get("/fr/coordination/")
    assert response.status_code == 403


def test_a_coordinator_sees_the_space_and_its_links(
    client: TestClient, session: Session
) -> None:
    make_coordinator(session, "coord@example.org", ["QN3705"])
    browser = Browser(client)
    assert browser.sign_in("coord@example.org").status_code == 303
    response = browser.get("/ar/coordination/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.text
    assert "no-store" in response.headers["cache-control"]
    for path in ("couverture", "fraicheur", "signaux", "qualite", "synonymes"):
        assert f'href="/ar/coordination/{path}"' in response.text
    assert 'href="/ar/coordination/"' in browser.get("/ar/espace/").text


def test_the_superadmin_may_open_the_space(
    client: TestClient, session: Session
) -> None:
    browser = signed_in(client, session, "admin@example.org", is_superadmin=True)
    assert browser.get("/fr/coordination/").status_code == 200


def test_the_superadmin_sees_every_territory(
    client: TestClient, session: Session
) -> None:
    build_cities(session)
    count_searches(session, 6, result_bucket="0", query="sans lieu")
    admin = signed_in(client, session, "admin@example.org", is_superadmin=True)
    coverage = admin.get("/fr/coordination/couverture").text
    assert "Sanitas" in coverage and "Malakoff" in coverage
    freshness = admin.get("/fr/coordination/fraicheur").text
    assert "Épicerie du Sanitas" in freshness
    assert "Centre de santé Malakoff" in freshness
    # A search without a commune or QPV belongs to no territory.
    assert "sans lieu" in admin.get("/fr/coordination/signaux").text
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    assert "sans lieu" not in tours.get("/fr/coordination/signaux").text


def test_the_home_page_sums_up_the_territory(
    client: TestClient, session: Session
) -> None:
    build_cities(session)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    html = tours.get("/fr/coordination/").text
    # Tours holds 8 QPVs; only the Sanitas has a weekly food service.
    assert "8 quartiers prioritaires, 127 thèmes sans service" in html
    assert "0 fiches non vérifiées depuis plus de 6 mois." in html
    assert "0 recherches sans résultat à regarder." in html
