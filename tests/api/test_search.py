"""GET /api/v1/services: the search, through the real app and database."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import SearchStat
from tests.territory import CARE, GROCERY, MALAKOFF, SANITAS, Territory


def names(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/api/v1/services", params=params)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


def test_only_published_live_services_are_listed(
    client: TestClient, territory: Territory
) -> None:
    assert sorted(names(client)) == [
        "Atelier CV par téléphone",
        "Consultation santé sans mutuelle",
        "Épicerie solidaire",
    ]
    assert names(client, q="cours de francais") == []


def test_search_is_accent_and_case_insensitive(
    client: TestClient, territory: Territory
) -> None:
    assert names(client, q="SANTE") == ["Consultation santé sans mutuelle"]
    # The organisation's name counts too, but the service's own name ranks first.
    assert names(client, q="ÉPICERIE") == [
        "Épicerie solidaire",
        "Atelier CV par téléphone",
    ]


def test_search_matches_the_organisation_and_theme_labels(
    client: TestClient, territory: Territory
) -> None:
    assert names(client, q="centre de sante") == ["Consultation santé sans mutuelle"]
    assert names(client, q="alimentation") == ["Épicerie solidaire"]


def test_search_finds_prefixes_and_french_plurals(
    client: TestClient, territory: Territory
) -> None:
    assert names(client, q="medecin") == ["Consultation santé sans mutuelle"]
    assert names(client, q="produit alimentaire") == ["Épicerie solidaire"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("manger", "Épicerie solidaire"),
        ("colis", "Épicerie solidaire"),
        ("docteur", "Consultation santé sans mutuelle"),
    ],
)
def test_everyday_words_find_their_theme(
    client: TestClient, territory: Territory, query: str, expected: str
) -> None:
    assert names(client, q=query) == [expected]


def test_a_parent_category_includes_its_themes(
    client: TestClient, territory: Territory
) -> None:
    assert names(client, category="equipement-et-alimentation") == [
        "Épicerie solidaire"
    ]
    assert names(client, category=GROCERY) == ["Épicerie solidaire"]
    assert sorted(names(client, category=[GROCERY, CARE])) == [
        "Consultation santé sans mutuelle",
        "Épicerie solidaire",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # A service for everyone ("tous-publics") serves young people too.
        (
            {"public": "jeunes"},
            ["Atelier CV par téléphone", "Consultation santé sans mutuelle"],
        ),
        (
            {"public": "familles"},
            ["Consultation santé sans mutuelle", "Épicerie solidaire"],
        ),
        ({"language": "ps"}, ["Consultation santé sans mutuelle"]),
        ({"language": "AR"}, ["Épicerie solidaire"]),
        ({"free": True}, ["Atelier CV par téléphone", "Épicerie solidaire"]),
        ({"no_appointment": True}, ["Atelier CV par téléphone", "Épicerie solidaire"]),
        ({"no_referral": True}, ["Atelier CV par téléphone", "Épicerie solidaire"]),
        ({"wheelchair": True}, ["Épicerie solidaire"]),
        ({"qpv": "QN03709M"}, ["Épicerie solidaire"]),
        ({"qpv": "qn04413m"}, ["Consultation santé sans mutuelle"]),
        ({"commune": "44109"}, ["Consultation santé sans mutuelle"]),
        ({"free": True, "language": "ar", "qpv": "QN03709M"}, ["Épicerie solidaire"]),
        ({"free": True, "language": "ps"}, []),
    ],
)
def test_each_filter_alone_and_combined(
    client: TestClient,
    territory: Territory,
    params: dict[str, Any],
    expected: list[str],
) -> None:
    assert sorted(names(client, **params)) == expected


def test_organization_filter(client: TestClient, territory: Territory) -> None:
    org = str(territory.health.organization_id)
    assert names(client, organization=org) == ["Consultation santé sans mutuelle"]


def test_near_me_orders_by_distance_and_gives_walking_time(
    client: TestClient, territory: Territory
) -> None:
    lat, lon = SANITAS[0] + 0.002, SANITAS[1]  # about 220 m north
    body = client.get(
        "/api/v1/services", params={"lat": lat, "lon": lon, "radius_km": 5}
    ).json()
    assert [i["name"] for i in body["items"]] == ["Épicerie solidaire"]
    first = body["items"][0]
    assert 200 <= first["distance_m"] <= 240
    assert first["walking_minutes"] == 4
    wide = client.get(
        "/api/v1/services",
        params={"lat": lat, "lon": lon, "radius_km": 100, "sort": "distance"},
    ).json()
    assert [i["name"] for i in wide["items"]] == [
        "Épicerie solidaire"
    ]  # Nantes is 200 km
    from_nantes = names(client, lat=MALAKOFF[0], lon=MALAKOFF[1], sort="distance")
    assert from_nantes == ["Consultation santé sans mutuelle"]


def test_open_at_follows_nth_weekdays(client: TestClient, territory: Territory) -> None:
    # 9 December 2026 is the 2nd Wednesday of the month, 16 December the 3rd.
    assert names(client, open_at="2026-12-09T15:00:00") == ["Épicerie solidaire"]
    assert names(client, open_at="2026-12-16T15:00:00") == []


def test_open_at_respects_public_holidays(
    client: TestClient, territory: Territory
) -> None:
    assert names(client, open_at="2026-12-24T10:00:00+01:00") == [
        "Consultation santé sans mutuelle"
    ]
    assert names(client, open_at="2026-12-25T10:00:00+01:00") == []  # Christmas, PH off


def test_open_at_respects_closures(client: TestClient, territory: Territory) -> None:
    closed = names(client, category=CARE, open_at="2026-12-15T10:00:00")
    assert closed == []  # closed for training from 14 to 18 December
    reopened = names(client, category=CARE, open_at="2026-12-21T10:00:00")
    assert reopened == ["Consultation santé sans mutuelle"]


def test_results_carry_opening_state_and_next_session(
    client: TestClient, territory: Territory
) -> None:
    body = client.get(
        "/api/v1/services", params={"q": "sante", "open_at": "2026-12-15T10:00"}
    )
    assert body.json()["total"] == 0
    item = client.get(
        "/api/v1/services", params={"q": "sante", "open_at": "2026-12-21T10:00"}
    ).json()["items"][0]
    assert item["open_now"] is True
    assert item["next_session"]["start"].startswith("2026-12-21T09:00")
    assert item["next_session"]["place_name"] == "Centre Malakoff"
    assert item["schedule"] and "PH" not in item["schedule"][0]


def test_pagination_edges(client: TestClient, territory: Territory) -> None:
    first = client.get("/api/v1/services", params={"size": 2, "sort": "name"}).json()
    assert (first["total"], first["pages"], len(first["items"])) == (3, 2, 2)
    second = client.get(
        "/api/v1/services", params={"size": 2, "page": 2, "sort": "name"}
    )
    assert [i["name"] for i in second.json()["items"]] == ["Épicerie solidaire"]
    beyond = client.get("/api/v1/services", params={"size": 2, "page": 3}).json()
    assert beyond["items"] == [] and beyond["total"] == 3


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"category": "nope"}, "category"),
        ({"public": "martiens"}, "public"),
        ({"language": "zz"}, "language"),
        ({"qpv": "QN99999X"}, "qpv"),
        ({"lat": 47.3}, "lon"),
        ({"radius_km": 2}, "radius_km"),
        ({"lat": 95, "lon": 0}, "lat"),
        ({"sort": "distance"}, "sort"),
        ({"sort": "random"}, "sort"),
        ({"open_at": "tomorrow"}, "open_at"),
        ({"open_now": True, "open_at": "2026-12-09T15:00"}, "open_at"),
        ({"size": 101}, "size"),
        ({"page": 0}, "page"),
        ({"free": "maybe"}, "free"),
        ({"lang": "xx"}, "lang"),
    ],
)
def test_bad_input_is_a_422_naming_the_parameter(
    client: TestClient, territory: Territory, params: dict[str, Any], param: str
) -> None:
    response = client.get("/api/v1/services", params=params)
    assert response.status_code == 422, response.text
    assert [e["loc"][-1] for e in response.json()["detail"]] == [param]


def test_responses_have_an_etag_and_304_when_unchanged(
    client: TestClient, territory: Territory
) -> None:
    response = client.get("/api/v1/services", params={"q": "sante"})
    etag = response.headers["etag"]
    assert "max-age" in response.headers["cache-control"]
    again = client.get(
        "/api/v1/services", params={"q": "sante"}, headers={"if-none-match": etag}
    )
    assert again.status_code == 304 and again.content == b""


def test_searches_are_counted_anonymously_and_unmet_words_kept(
    client: TestClient, territory: Territory, session: Session
) -> None:
    client.get("/api/v1/services", params={"q": "santé"})
    client.get("/api/v1/services", params={"q": "santé"})
    client.get("/api/v1/services", params={"q": "Cours de Yoga", "qpv": "QN03709M"})
    stats = session.exec(select(SearchStat).order_by(SearchStat.result_bucket)).all()
    assert [(s.result_bucket, s.query, s.count) for s in stats] == [
        ("0", "cours de yoga", 1),
        ("1-5", "", 2),
    ]
    assert stats[0].qpv_code == "QN03709M"


def test_cors_allows_any_origin_to_read(
    client: TestClient, territory: Territory
) -> None:
    response = client.get("/api/v1/services", headers={"origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
