"""The place field: a commune name or postal code, typed as residents type it,
becomes the commune filter (pages and API); an unknown one is said clearly."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from api.services.places.communes import resolve_commune, resolve_place
from tests.territory import Territory

GROCERY = "Épicerie solidaire"  # Tours (37261)
HEALTH = "Consultation santé sans mutuelle"  # Nantes (44109)


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("Tours", ["37261"]),
        ("Reze", ["44143"]),
        ("rezé", ["44143"]),
        ("44000", ["44109"]),
        ("37100", ["37261"]),  # a postal code of Tours, not INSEE 37100
        ("Saint Pierre des Corps", ["37233"]),
        ("st-pierre-des-corps", ["37233"]),
        ("  JOUÉ-LÈS-TOURS ", ["37122"]),
        ("Atlantis", []),
        ("75001", []),
    ],
)
def test_a_typed_place_resolves_to_insee_codes(typed: str, codes: list[str]) -> None:
    assert resolve_place(typed) == codes


def test_the_commune_parameter_reads_an_insee_code_first() -> None:
    assert resolve_commune("37100") == ["37100"]
    assert resolve_commune("Nantes") == ["44109"]


def names(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/api/v1/services", params=params)
    assert response.status_code == 200, response.text
    return sorted(item["name"] for item in response.json()["items"])


def test_the_api_filters_by_a_commune_name_or_postal_code(
    client: TestClient, territory: Territory
) -> None:
    assert names(client, commune="Tours") == [GROCERY]
    assert names(client, commune="44109") == [HEALTH]
    assert names(client, place="44000") == [HEALTH]
    assert names(client, place="37200") == [GROCERY]
    assert names(client, place="Rezé") == []


@pytest.mark.parametrize("param", ["commune", "place"])
def test_an_unknown_commune_is_a_422_naming_the_parameter(
    client: TestClient, territory: Territory, param: str
) -> None:
    response = client.get("/api/v1/services", params={param: "Atlantis", "lang": "en"})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == param
    assert "No town is called « Atlantis »" in detail["msg"]


def page(client: TestClient, path: str, **params: Any) -> BeautifulSoup:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_home_and_results_offer_the_place_field_with_suggestions(
    client: TestClient, territory: Territory
) -> None:
    for soup in (page(client, "/fr/"), page(client, "/fr/services")):
        field = soup.select_one("form[role=search] input[name=place]")
        assert field is not None and field["list"] == "commune-names"
        label = soup.select_one(f"label[for={field['id']}]")
        assert label.get_text(strip=True) == "Commune ou code postal"
        options = [o["value"] for o in soup.select("datalist#commune-names option")]
        assert options == ["Nantes", "Tours"]  # communes with a place listed


def test_the_results_page_filters_by_the_typed_place(
    client: TestClient, territory: Territory
) -> None:
    soup = page(client, "/fr/services", place="Nantes")
    assert soup.select_one("input[name=place]")["value"] == "Nantes"
    cards = soup.select(".result-list > li")
    assert len(cards) == 1 and HEALTH in cards[0].get_text(" ", strip=True)


def test_an_unknown_place_is_said_inline_and_filters_nothing(
    client: TestClient, territory: Territory
) -> None:
    soup = page(client, "/en/services", place="Atlantis")
    field = soup.select_one("input[name=place]")
    assert field["value"] == "Atlantis" and field["aria-invalid"] == "true"
    error = soup.select_one(f"#{field['aria-describedby']}")
    assert error.get_text(strip=True) == "No town is called « Atlantis »"
    assert len(soup.select(".result-list > li")) == 3
