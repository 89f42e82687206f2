"""Searches by facets and flags alone (a theme, a commune, an organisation:
residents' buttons) run a statement built once per shape and reused with each
search's values (``sql.browse_page``): a search must never get another's
values, nor another reader's visibility."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Organization, Place, Visibility
from api.services.schedules.hours import PARIS
from api.services.search import engine, sql
from api.services.search.filters import SearchFilters
from tests.api.test_search_scale import add_services, search
from tests.factories import make_organization, make_place

TOURS, NANTES = "37261", "44109"


def _service(
    session: Session, org: Organization, place: Place, name: str, theme: str
) -> None:
    (service,) = add_services(session, org, place, [name])
    service.categories = [theme]
    session.add(service)
    session.commit()


def _territory(session: Session) -> tuple[Organization, Organization]:
    tours_org = make_organization(session, "asso-tours")
    nantes_org = make_organization(session, "asso-nantes")
    tours = make_place(session, tours_org, "tours", insee_code=TOURS)
    nantes = make_place(session, nantes_org, "nantes", insee_code=NANTES)
    _service(session, tours_org, tours, "Santé Tours", "sante")
    _service(session, tours_org, tours, "Emploi Tours", "trouver-un-emploi")
    _service(session, nantes_org, nantes, "Santé Nantes", "sante")
    _service(session, nantes_org, nantes, "Emploi Nantes", "trouver-un-emploi")
    return tours_org, nantes_org


def _names(client: TestClient, **params: Any) -> list[str]:
    return sorted(item["name"] for item in search(client, **params)["items"])


def test_searches_of_one_shape_each_find_their_own(
    client: TestClient, session: Session
) -> None:
    tours_org, nantes_org = _territory(session)

    assert _names(client, category="sante", commune=TOURS) == ["Santé Tours"]
    assert _names(client, category="trouver-un-emploi", commune=NANTES) == [
        "Emploi Nantes"
    ]
    assert _names(client, category="sante", commune=NANTES) == ["Santé Nantes"]
    assert _names(client, category="sante") == ["Santé Nantes", "Santé Tours"]
    assert _names(client, category="trouver-un-emploi") == [
        "Emploi Nantes",
        "Emploi Tours",
    ]
    # Two values, either order of the facets' sizes.
    both = {"commune": [TOURS, NANTES]}
    assert _names(client, category="sante", **both) == ["Santé Nantes", "Santé Tours"]
    assert _names(client, category=["sante", "trouver-un-emploi"], commune=NANTES) == [
        "Emploi Nantes",
        "Santé Nantes",
    ]
    # The organisation is a value of the shape too.
    assert _names(client, organization=str(tours_org.id)) == [
        "Emploi Tours",
        "Santé Tours",
    ]
    assert _names(client, organization=str(nantes_org.id)) == [
        "Emploi Nantes",
        "Santé Nantes",
    ]
    # Past the last page, the count of this search's own matches.
    beyond = search(client, category="sante", commune=NANTES, page=3)
    assert (beyond["items"], beyond["total"]) == ([], 1)
    beyond = search(client, category="sante", commune=TOURS, page=3)
    assert (beyond["items"], beyond["total"]) == ([], 1)


def test_one_shape_for_residents_and_professionals_keeps_each_its_own(
    session: Session,
) -> None:
    org = make_organization(session)
    place = make_place(session, org, "tours", insee_code=TOURS)
    _service(session, org, place, "Santé pour tous", "sante")
    _service(session, org, place, "Santé jeunes", "sante")
    (reserved,) = add_services(session, org, place, ["Réservé"])
    reserved.categories = ["sante"]
    reserved.visibility = Visibility.professionals
    session.add(reserved)
    session.commit()
    filters = SearchFilters(category=["sante"], commune=[TOURS])
    now = datetime(2026, 12, 7, 10, tzinfo=PARIS)

    def names(professionals: bool) -> list[str]:
        with sql.professional_audience(professionals):
            found = engine.search(session, filters, now)
        return sorted(item.name for item in found.items)

    residents = ["Santé jeunes", "Santé pour tous"]
    assert names(False) == residents
    assert names(True) == ["Réservé", *residents]
    assert names(False) == residents
