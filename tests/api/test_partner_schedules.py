"""Anchored every-other-week permanences and validity, through the partner API
(written, validated, returned) and the public API (next session, words)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import app
from api.routes.http import now_paris
from api.services.schedules.hours import PARIS
from tests.api.test_partner import Persona, personas, place_body  # noqa: F401

__all__ = ["personas"]

CATEGORY = (
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-"
    "administratives"
)


@pytest.fixture
def at(client: TestClient) -> Iterator[list[datetime]]:
    moment = [datetime(2026, 12, 29, 13, 0, tzinfo=PARIS)]  # after a session
    app.dependency_overrides[now_paris] = lambda: moment[0]
    yield moment
    app.dependency_overrides.pop(now_paris, None)


def _service(alice: Persona) -> tuple[str, str]:
    place = alice.post("/places", json=place_body()).json()
    service = alice.post(
        "/services", json={"name": "Écrivain public", "categories": [CATEGORY]}
    ).json()
    return service["id"], place["id"]


def _permanence(alice: Persona, **values: Any) -> Any:
    service_id, place_id = _service(alice)
    return alice.post(
        "/permanences",
        json={"service_id": service_id, "place_id": place_id, **values},
    )


def test_an_anchor_is_written_returned_and_keeps_the_rhythm_over_new_year(
    client: TestClient,
    personas: dict[str, Persona],  # noqa: F811
    at: list[datetime],
) -> None:
    created = _permanence(
        personas["alice"],
        opening_hours="week 01-53/2 Tu 09:00-12:00",
        biweekly_anchor="2026-12-01",
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["biweekly_anchor"] == "2026-12-01"
    listed = personas["alice"].get("/permanences").json()
    assert [p["biweekly_anchor"] for p in listed] == ["2026-12-01"]

    detail = client.get(f"/api/v1/services/{body['service_id']}").json()
    # Tuesday 29 Dec (week 53) was a session: the next is 12 Jan, not 5 Jan.
    assert detail["next_session"]["start"].startswith("2027-01-12T09:00")
    [permanence] = detail["permanences"]
    assert permanence["biweekly_anchor"] == "2026-12-01"
    assert permanence["schedule"] == (
        "mardi, une semaine sur deux, à partir de la semaine du 30 novembre 2026, "
        "9 h – 12 h"
    )
    at[0] = datetime(2027, 1, 5, 10, 0, tzinfo=PARIS)
    assert not client.get(f"/api/v1/services/{body['service_id']}").json()["open_now"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"opening_hours": "Tu 09:00-12:00", "biweekly_anchor": "2026-12-01"},
            "biweekly_anchor ne va qu'avec des horaires une semaine sur deux",
        ),
        (
            {
                "opening_hours": "week 01-53/2 Tu 09:00-12:00",
                "biweekly_anchor": "1900-01-02",
            },
            "biweekly_anchor doit être entre 2000 et 2100",
        ),
        (
            {
                "opening_hours": "week 01-53/2 Tu 09:00-12:00",
                "biweekly_anchor": "mardi",
            },
            "biweekly_anchor",
        ),
    ],
)
def test_a_bad_anchor_is_refused_and_nothing_is_written(
    personas: dict[str, Persona],  # noqa: F811
    values: dict[str, str],
    message: str,
) -> None:
    response = _permanence(personas["alice"], **values)
    assert response.status_code == 422, response.text
    assert message in response.text
    assert personas["alice"].get("/permanences").json() == []


def test_an_ended_permanence_has_no_session_and_is_not_shown(
    client: TestClient,
    personas: dict[str, Persona],  # noqa: F811
    at: list[datetime],
) -> None:
    at[0] = datetime(2027, 3, 30, 13, 0, tzinfo=PARIS)
    created = _permanence(
        personas["alice"], opening_hours="Mo 09:00-12:00", valid_until="2027-03-31"
    ).json()
    detail = client.get(f"/api/v1/services/{created['service_id']}").json()
    assert detail["next_session"] is None  # not Monday 5 April
    later = _permanence(
        personas["alice"], opening_hours="Th 09:00-12:00", valid_from="2027-04-15"
    ).json()
    at[0] = datetime(2027, 4, 1, 8, 0, tzinfo=PARIS)
    detail = client.get(f"/api/v1/services/{later['service_id']}").json()
    assert detail["next_session"]["start"].startswith("2027-04-15T09:00")


def test_an_ended_permanence_leaves_neither_hours_nor_place_on_the_card(
    client: TestClient,
    personas: dict[str, Persona],  # noqa: F811
    at: list[datetime],
) -> None:
    alice = personas["alice"]
    service_id, old_place = _service(alice)
    new_place = alice.post("/places", json=place_body(name="Nouveau local")).json()
    for place_id, hours, until in (
        (old_place, "Mo 09:00-12:00", "2026-11-30"),
        (new_place["id"], "Th 14:00-17:00", None),
    ):
        response = alice.post(
            "/permanences",
            json={
                "service_id": service_id,
                "place_id": place_id,
                "opening_hours": hours,
                "valid_until": until,
            },
        )
        assert response.status_code == 201, response.text
    detail = client.get(f"/api/v1/services/{service_id}").json()
    assert [p["name"] for p in detail["places"]] == ["Nouveau local"]
    assert [p["opening_hours"] for p in detail["permanences"]] == ["Th 14:00-17:00"]
    assert detail["schedule"] == ["jeudi, 14 h – 17 h"]
