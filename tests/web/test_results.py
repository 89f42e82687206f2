"""The results page: list first, filters as a plain form, map after."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.services.listings.revisions import SYSTEM, save
from tests.territory import Territory


def page(client: TestClient, url: str, **params: object) -> BeautifulSoup:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_results_list_comes_before_the_map(
    client: TestClient, territory: Territory
) -> None:
    soup = page(client, "/fr/services", q="sante")
    titles = [a.get_text() for a in soup.select(".result-list .card-title a")]
    assert titles == ["Consultation santé sans mutuelle"]
    sections = [s.get("class") for s in soup.select("main section")]
    assert sections == [["results"], ["map-section"]]
    assert soup.select_one("link[rel=alternate][type='application/json']")["href"] == (
        "/api/v1/services?q=sante"
    )


def test_filters_work_without_javascript_and_keep_their_values(
    client: TestClient, territory: Territory
) -> None:
    soup = page(client, "/fr/services", free="true", language="ar")
    assert [a.get_text() for a in soup.select(".card-title a")] == [
        "Épicerie solidaire"
    ]
    assert soup.select_one("input[name=free]").has_attr("checked")
    assert soup.select_one("select[name=language] option[selected]")["value"] == "ar"


def test_bad_filter_values_show_an_inline_message(
    client: TestClient, territory: Territory
) -> None:
    soup = page(client, "/fr/services", category="nope", q="sante")
    assert "catégorie inconnue" in soup.select_one("#err-category").get_text()
    assert soup.select_one("#category")["aria-invalid"] == "true"
    # The valid part of the search still runs.
    assert [a.get_text() for a in soup.select(".card-title a")] == [
        "Consultation santé sans mutuelle"
    ]


def test_empty_state_suggests_wider_searches_and_nearby_qpvs(
    client: TestClient, territory: Territory
) -> None:
    soup = page(client, "/fr/services", q="sante", language="ar")
    empty = soup.select_one(".empty")
    assert empty is not None
    links = [a["href"] for a in empty.select("a")]
    assert "/fr/services?q=sante" in links  # without the language filter
    assert "/fr/qpv/QN03709M" in links


def test_pagination_links_keep_the_filters(
    client: TestClient, territory: Territory
) -> None:
    soup = page(client, "/fr/services", size=1, sort="name")
    next_link = soup.select_one("a[rel=next]")["href"]
    assert "page=2" in next_link and "size=1" in next_link and "sort=name" in next_link


def test_hostile_listing_text_is_escaped(
    client: TestClient, territory: Territory, session: Session
) -> None:
    territory.grocery.name = "<script>alert(1)</script>Épicerie"
    save(session, territory.grocery, SYSTEM)
    session.commit()
    response = client.get("/fr/services", params={"q": "epicerie"})
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Épicerie" in response.text


def test_the_selection_lives_in_the_url(
    client: TestClient, territory: Territory
) -> None:
    soup = page(client, "/fr/services", q="sante")
    add = soup.select_one(".add-selection")["href"]
    assert f"sel={territory.health.id}" in add
    assert "set-cookie" not in client.get("/fr/services" + add.split("#")[0]).headers


def test_the_map_script_is_folium_with_self_hosted_assets(
    client: TestClient, territory: Territory
) -> None:
    soup = page(client, "/fr/services")
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert all(src.startswith("/") for src in scripts)
    assert "/fr/map.js" in scripts
    script = client.get("/fr/map.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "L.map(" in script.text and "feature_group_services" in script.text
    assert "Sanitas" in script.text  # QPV contours layer
    assert "cdn" not in script.text.lower()
