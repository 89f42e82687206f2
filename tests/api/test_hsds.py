"""The HSDS 3.1 API: every response valid against the shipped schemas, the
public directory only, schedules that say what the site says."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from api.services.exports.hsds import TAXONOMY_ID, term_id
from api.services.schedules import hours
from api.vocabulary import CATEGORIES, THEMES
from tests.api.export_territory import (
    ANCHOR,
    SECRET_ADDRESS,
    SECRET_POSITION,
    ExportTerritory,
)

SCHEMAS = Path(__file__).resolve().parents[2] / "data/reference/schemas/hsds"
BASE = "https://reperes.test/hsds/"
REGISTRY: Registry = Registry().with_resources(
    (
        BASE + path.name,
        Resource.from_contents(
            json.loads(path.read_text()), default_specification=DRAFT202012
        ),
    )
    for path in SCHEMAS.glob("*.json")
)
PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size"}
PAGE_FIELDS |= {"first_page", "last_page", "empty", "contents"}


def assert_valid(name: str, obj: dict[str, Any]) -> None:
    validator = Draft202012Validator(
        {"$ref": BASE + name}, registry=REGISTRY, format_checker=FormatChecker()
    )
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(obj)]
    assert errors == [], obj.get("id")


def get(client: TestClient, path: str, status: int = 200) -> Any:
    response = client.get(path)
    assert response.status_code == status, response.text
    if status == 200:
        assert 'rel="license"' in response.headers["link"]
    return response.json()


def a_page(client: TestClient, path: str, schema: str) -> dict[str, Any]:
    body = get(client, path)
    assert set(body) == PAGE_FIELDS
    for item in body["contents"]:
        assert_valid(schema, item)
    return body


def test_root_gives_version_profile_and_attribution(client: TestClient) -> None:
    body = get(client, "/hsds/")
    assert body["version"] == "3.1"
    assert body["openapi_url"].endswith("/openapi.json")
    assert "Open Referral" in body["attribution"]
    assert "CC BY-SA 4.0" in body["attribution"]
    assert body["licence"].startswith("Licence Ouverte")


def test_services_list_only_public_listings_and_validates(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    t = export_territory
    for full in ("false", "true"):
        body = a_page(
            client, f"/hsds/services?full={full}&per_page=100", "service.json"
        )
        names = {s["name"] for s in body["contents"]}
        assert names == {
            t.base.grocery.name,
            t.base.health.name,
            t.base.cv_workshop.name,
            t.shelter.name,
            t.biweekly.name,
            t.seasonal.name,
        }
        assert body["total_items"] == 6 and body["empty"] is False
    for hidden in (t.pro_only, t.base.draft, t.base.deleted):
        get(client, f"/hsds/services/{hidden.id}", 404)


def test_pagination(client: TestClient, export_territory: ExportTerritory) -> None:
    first = a_page(client, "/hsds/services?per_page=4", "service.json")
    assert (first["total_items"], first["total_pages"], first["size"]) == (6, 2, 4)
    assert first["first_page"] and not first["last_page"]
    second = a_page(client, "/hsds/services?per_page=4&page=2", "service.json")
    assert second["size"] == 2 and second["last_page"] and not second["first_page"]
    seen = [s["id"] for s in first["contents"] + second["contents"]]
    assert len(set(seen)) == 6
    beyond = a_page(client, "/hsds/services?per_page=4&page=9", "service.json")
    assert beyond["empty"] and beyond["contents"] == []


def test_a_full_service_with_its_nth_weekday_schedule(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    grocery = export_territory.base.grocery
    body = get(client, f"/hsds/services/{grocery.id}")
    assert_valid("service.json", body)
    assert body["organization"]["name"] == "Épicerie du Sanitas"
    assert [lang["code"] for lang in body["languages"]] == ["ar", "fr"]
    assert body["cost_options"][0]["option"] == "Gratuit"
    assert body["attributes"][0]["taxonomy_term"]["code"] == (
        "equipement-et-alimentation--alimentation"
    )
    [at_place] = body["service_at_locations"]
    assert at_place["location"]["name"] == "Local Saint-Paul"
    [schedule] = at_place["schedules"]
    assert schedule["freq"] == "MONTHLY" and schedule["byday"] == "2WE,4WE"
    assert (schedule["opens_at"], schedule["closes_at"]) == ("14:00", "17:00")
    assert "We[2,4] 14:00-17:00; PH off" in schedule["description"]


def test_every_other_week_keeps_the_sites_rhythm_across_new_year(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    t = export_territory
    body = get(client, f"/hsds/services/{t.biweekly.id}")
    assert_valid("service.json", body)
    [schedule] = body["service_at_locations"][0]["schedules"]
    assert (schedule["freq"], schedule["interval"], schedule["byday"]) == (
        "WEEKLY",
        2,
        "TU",
    )
    start = datetime.fromisoformat(schedule["dtstart"]).date()
    # The RRULE's days over 2026-12 → 2027-02 (week 53 then week 1 are both
    # odd: ISO parity alone would give two sessions a week apart).
    rrule_days = [start + timedelta(days=14 * n) for n in range(6)]
    window = (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 2, 20, tzinfo=UTC))
    site_days = [
        s.start.date()
        for s in hours.Schedule.of(t.biweekly_permanence).sessions(*window)
    ]
    assert start == ANCHOR
    assert [d for d in rrule_days if d <= window[1].date()] == site_days


def test_hours_rrule_cannot_say_stay_whole_in_the_description(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    body = get(client, f"/hsds/services/{export_territory.seasonal.id}")
    assert_valid("service.json", body)
    [schedule] = body["service_at_locations"][0]["schedules"]
    assert "freq" not in schedule
    assert schedule["description"].startswith("Apr-Jun Sa 10:00-12:00")


def test_a_phone_permanence_is_a_schedule_of_the_service(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    body = get(client, f"/hsds/services/{export_territory.base.cv_workshop.id}")
    assert_valid("service.json", body)
    assert "service_at_locations" not in body
    [schedule] = body["schedules"]
    assert schedule["attending_type"] == "phone" and schedule["byday"] == "TU"


def test_confidential_place_has_no_address_or_position_anywhere(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    t = export_territory
    texts = [
        client.get(f"/hsds/services/{t.shelter.id}").text,
        client.get("/hsds/services?full=true&per_page=100").text,
        client.get("/hsds/locations?per_page=100").text,
        client.get(f"/hsds/organizations/{t.shelter.organization_id}").text,
    ]
    for text in texts:
        assert SECRET_ADDRESS not in text
        assert str(SECRET_POSITION[0]) not in text
        assert "Ligne réservée aux professionnels" not in text
    location = json.loads(texts[0])["service_at_locations"][0]["location"]
    assert location["name"] == "Maison du refuge"
    assert "latitude" not in location and "addresses" not in location


def test_filters(client: TestClient, export_territory: ExportTerritory) -> None:
    t = export_territory

    def names(query: str) -> set[str]:
        body = a_page(client, f"/hsds/services?{query}", "service.json")
        return {s["name"] for s in body["contents"]}

    assert names("search=hygiène") == {t.base.grocery.name}
    assert names("search=zzzzqqq") == set()
    assert names("taxonomy_term_id=sante") == {t.base.health.name}
    assert names(f"taxonomy_term_id={term_id('sante--acces-aux-soins')}") == {
        t.base.health.name
    }
    assert names(f"organization_id={t.shelter.organization_id}") == {
        t.shelter.name,
        t.biweekly.name,
        t.seasonal.name,
    }
    assert names("modified_after=2999-01-01T00:00:00") == set()
    assert len(names("modified_after=2000-01-01T00:00:00%2B02:00")) == 6


def test_bad_parameters_are_422_naming_them(client: TestClient) -> None:
    cases = {
        "/hsds/services?taxonomy_term_id=nope": ["query", "taxonomy_term_id"],
        "/hsds/services?organization_id=x": ["query", "organization_id"],
        "/hsds/services?modified_after=yesterday": ["query", "modified_after"],
        "/hsds/services?per_page=1000": ["query", "per_page"],
        "/hsds/services/not-a-uuid": ["path", "service_id"],
        "/hsds/taxonomy_terms?parent_id=nope": ["query", "parent_id"],
    }
    for path, loc in cases.items():
        assert get(client, path, 422)["detail"][0]["loc"] == loc, path


def test_organizations_and_locations(
    client: TestClient, export_territory: ExportTerritory
) -> None:
    t = export_territory
    orgs = a_page(client, "/hsds/organizations", "organization.json")
    assert orgs["total_items"] == 3
    body = get(client, f"/hsds/organizations/{t.shelter.organization_id}")
    assert_valid("organization.json", body)
    assert body["website"] == "https://refuge.example.org"
    assert {s["name"] for s in body["services"]} == {
        t.shelter.name,
        t.biweekly.name,
        t.seasonal.name,
    }
    get(client, "/hsds/organizations/00000000-0000-0000-0000-000000000000", 404)
    places = a_page(client, "/hsds/locations?per_page=100", "location.json")
    by_name = {p["name"]: p for p in places["contents"]}
    assert by_name["Accueil de jour"]["addresses"][0]["postal_code"] == "37000"
    assert by_name["Accueil de jour"]["latitude"] == 47.3925
    assert "addresses" not in by_name["Maison du refuge"]


def test_taxonomy_is_the_data_inclusion_thematiques(client: TestClient) -> None:
    taxonomies = a_page(client, "/hsds/taxonomies", "taxonomy.json")
    assert [t["id"] for t in taxonomies["contents"]] == [TAXONOMY_ID]
    every = a_page(client, "/hsds/taxonomy_terms?per_page=100", "taxonomy_term.json")
    assert every["total_items"] == len(CATEGORIES) + len(THEMES)
    top = a_page(client, "/hsds/taxonomy_terms?top_only=true", "taxonomy_term.json")
    assert top["total_items"] == 16
    assert all("parent_id" not in term for term in top["contents"])
    health = a_page(
        client,
        f"/hsds/taxonomy_terms?parent_id={term_id('sante')}&per_page=100",
        "taxonomy_term.json",
    )
    assert {t["code"] for t in health["contents"]} == {
        code for code in THEMES if code.startswith("sante--")
    }
    assert all(t["parent_id"] == term_id("sante") for t in health["contents"])
