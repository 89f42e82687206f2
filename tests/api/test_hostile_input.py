"""Hostile input gets a clear 4xx naming what to fix, never a 500, on both
back-ends: one text policy for query parameters and partner writes, bounded
dates, request-body limits, and HTTP details (Allow, If-Match)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.main import app
from api.models import Closure, Permanence, SearchStat, Service
from api.services.accounts.auth import issue_token
from tests.factories import make_organization, make_place
from tests.territory import CARE, Territory

NUL, CR, PRIVATE, ARABIC = "\x00", "\r", "\ue000", "مساعدة غذائية"
SEARCH = "/api/v1/services"


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("q", f"colis{NUL}"),
        ("q", f"colis{PRIVATE}"),
        ("q", f"colis{CR}alimentaire"),
        ("q", "x" * 201),
        ("qpv", f"QN03705M{NUL}"),
        ("commune", f"Tours{NUL}"),
        ("commune", "123456"),
        ("place", f"Tours{NUL}"),
        ("category", f"sante{NUL}"),
        ("public", f"jeunes{PRIVATE}"),
        ("language", f"ar{NUL}"),
        ("open_at", "9999-12-31T23:59:59"),
        ("open_at", "1900-01-01T10:00"),
        ("open_at", "2101-01-01T00:00+14:00"),
    ],
)
def test_a_hostile_search_parameter_is_a_422_naming_it(
    client: TestClient, territory: Territory, param: str, value: str
) -> None:
    response = client.get(SEARCH, params={param: value})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", param]


@pytest.mark.parametrize(
    "params",
    [
        {"q": ARABIC},
        {"q": "zzzz " * 39},  # found nothing: the query text is kept, cut
        {"open_at": "2100-12-31T23:00"},
        {"commune": "37261", "qpv": "QN03705M"},
    ],
)
def test_odd_but_harmless_searches_answer_and_are_counted(
    client: TestClient, session: Session, territory: Territory, params: Any
) -> None:
    assert client.get(SEARCH, params=params).status_code == 200
    stats = session.exec(select(SearchStat)).all()
    assert [s.count for s in stats] == [1]


def test_far_moments_do_not_overflow_with_a_listing_open_all_the_time(
    client: TestClient, territory: Territory, session: Session
) -> None:
    permanence = session.exec(
        select(Permanence).where(Permanence.service_id == territory.grocery.id)
    ).one()
    permanence.opening_hours = "24/7"
    session.add(permanence)
    session.commit()
    found = client.get(SEARCH, params={"open_at": "2100-12-31T23:59:59"})
    assert found.status_code == 200, found.text
    assert "Épicerie solidaire" in [hit["name"] for hit in found.json()["items"]]
    assert (
        client.get(SEARCH, params={"open_at": "9999-12-31T23:59:59"}).status_code == 422
    )


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_results_page_shows_the_error_inline(
    client: TestClient, territory: Territory, lang: str
) -> None:
    for params in ({"q": f"colis{NUL}"}, {"commune": "123456"}, {"qpv": "Q" * 300}):
        page = client.get(f"/{lang}/services", params=params)
        assert page.status_code == 200, page.text
        assert "text/html" in page.headers["content-type"]
    page = client.get(f"/{lang}/services", params={"q": f"colis{PRIVATE}"})
    assert "U+E000" in page.text


# Partner writes -------------------------------------------------------------

PARTNER = "/api/v1/partner"


@pytest.fixture
def partner(client: TestClient, session: Session) -> Iterator[dict[str, Any]]:
    org = make_organization(session, "hostile", name="Centre social")
    place = make_place(session, org, "local", name="Local", insee_code="37261")
    secret = issue_token(session, org, "sync", ["read", "write"]).secret
    session.commit()
    yield {"headers": {"Authorization": f"Bearer {secret}"}, "place": str(place.id)}


def _service(**changes: Any) -> dict[str, Any]:
    return {"name": "Aide alimentaire", "categories": [CARE], **changes}


def _place(**changes: Any) -> dict[str, Any]:
    return {"name": "Maison de quartier", "commune": "Tours", **changes}


def _closure(place: str, **changes: Any) -> dict[str, Any]:
    return {"place_id": place, "start": "2026-12-01", "end": "2026-12-02", **changes}


WRITES = [
    ("services", "name", _service),
    ("services", "description", _service),
    ("services", "falc_summary", _service),
    ("services", "fees_detail", _service),
    ("places", "name", _place),
    ("places", "address", _place),
    ("places", "commune", _place),
    ("places", "opening_hours", _place),
    ("closures", "reason", _closure),
]


@pytest.mark.parametrize("char", [NUL, PRIVATE, "\x1b", "\udc80"])
@pytest.mark.parametrize(("kind", "field", "body"), WRITES)
def test_a_partner_write_refuses_invisible_characters_in_every_text_field(
    client: TestClient,
    session: Session,
    partner: dict[str, Any],
    kind: str,
    field: str,
    body: Any,
    char: str,
) -> None:
    value = f"Lu-Ve 9h-12h{char}" if field == "opening_hours" else f"Texte{char}ici"
    sent = (
        body(partner["place"], **{field: value})
        if kind == "closures"
        else body(**{field: value})
    )
    # json.dumps writes a lone surrogate as an escape, as a hostile client may.
    response = client.post(
        f"{PARTNER}/{kind}",
        content=json.dumps(sent),
        headers={**partner["headers"], "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    error = response.json()["detail"][0]
    assert error["loc"][-1] == field
    assert "U+" in error["msg"]
    assert session.exec(select(Service)).all() == []
    assert session.exec(select(Closure)).all() == []


def test_a_bare_carriage_return_is_refused_in_a_one_line_field(
    client: TestClient, session: Session, partner: dict[str, Any]
) -> None:
    response = client.post(
        f"{PARTNER}/services",
        json=_service(name=f"Aide{CR}ATTACH:https://evil.example"),
        headers=partner["headers"],
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    assert session.exec(select(Service)).all() == []


def test_lines_are_kept_where_a_text_has_lines(
    client: TestClient, session: Session, partner: dict[str, Any]
) -> None:
    response = client.post(
        f"{PARTNER}/services",
        json=_service(description="Première ligne\r\nSeconde\tligne", name=ARABIC),
        headers=partner["headers"],
    )
    assert response.status_code == 201, response.text
    service = session.exec(select(Service)).one()
    assert (service.description, service.name) == (
        "Première ligne\nSeconde\tligne",
        ARABIC,
    )
    bare = client.post(
        f"{PARTNER}/services",
        json=_service(description=f"Une{CR}deux"),
        headers=partner["headers"],
    )
    assert bare.status_code == 422


def test_a_private_use_character_in_opening_hours_is_a_clear_422(
    client: TestClient, partner: dict[str, Any]
) -> None:
    for hours in (f"Mo 10:00-12:00{PRIVATE}", f"lundi 9h-12h {PRIVATE}"):
        response = client.post(
            f"{PARTNER}/places",
            json=_place(opening_hours=hours),
            headers=partner["headers"],
        )
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", "opening_hours"]


def test_a_long_text_is_refused_before_the_database(
    client: TestClient, session: Session, partner: dict[str, Any]
) -> None:
    for field, size in (("name", 201), ("fees_detail", 501)):
        response = client.post(
            f"{PARTNER}/services",
            json=_service(**{field: "é" * size}),
            headers=partner["headers"],
        )
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", field]
    assert session.exec(select(Service)).all() == []


# Request bodies and HTTP details ------------------------------------------


def test_a_huge_body_on_a_public_route_is_refused_before_it_is_read(
    client: TestClient,
) -> None:
    declared = client.post(
        "/api/v1/falc/check",
        content=b"{}",
        headers={"Content-Type": "application/json", "Content-Length": "104857600"},
    )
    assert declared.status_code == 413

    # A streamed body (no Content-Length), straight through the ASGI app:
    # TestClient would read the whole generator before sending.
    chunk, sent, answer = b" " * 65536, [], {}

    async def receive() -> dict[str, Any]:
        sent.append(len(chunk))
        return {"type": "http.request", "body": chunk, "more_body": len(sent) < 1600}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/falc/check",
        "raw_path": b"/api/v1/falc/check",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    anyio.run(app, scope, receive, send)
    assert answer["status"] == 413
    assert sum(sent) <= 256 * 1024 + len(chunk)  # 100 MB offered, 320 KiB read


def test_a_normal_body_still_passes(client: TestClient) -> None:
    response = client.post("/api/v1/falc/check", json={"text": "Bonjour. " * 500})
    assert response.status_code == 200


def test_a_refused_method_names_the_allowed_ones(client: TestClient) -> None:
    response = client.delete(SEARCH)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


def test_if_match_is_declared_required_where_it_is() -> None:
    paths = app.openapi()["paths"]
    for path, method in (
        ("/api/v1/partner/services/{row_id}", "patch"),
        ("/api/v1/partner/services/{row_id}", "delete"),
    ):
        headers = {
            p["name"].lower(): p
            for p in paths[path][method]["parameters"]
            if p["in"] == "header"
        }
        assert headers["if-match"]["required"] is True


# Beyond the samples: every public route, each hostile value -----------------

HOSTILE = [NUL, CR, PRIVATE, "x" * 3000, ARABIC, "%00", "\udc80"]
ROUTES = [
    "/api/v1/places?commune={v}",
    "/api/v1/places?qpv={v}",
    "/api/v1/organizations?q={v}",
    "/api/v1/qpv/{v}",
    "/api/v1/services.geojson?q={v}&bbox={v}",
    "/api/v1/categories?lang={v}",
    "/exports/services.csv?q={v}&place={v}",
    "/hsds/services?search={v}",
    "/hsds/services?taxonomy_term_id={v}",
    "/hsds/services?modified_after={v}",
    "/hsds/taxonomy_terms?parent_id={v}",
    "/qpv/{v}.ics?theme={v}",
    "/fr/services?q={v}&place={v}&commune={v}&qpv={v}&open_at={v}",
    "/ar/services/{v}",
    "/fr/qpv/{v}",
    "/fr/qpv/QN03705M?theme={v}",
    "/fr/{v}",
    "/fr/selection?sel={v}",
    "/fr/espace/mot-de-passe/{v}",
    "/fr/espace/invitation/{v}",
    "/fr/espace/valider/{v}",
]


@pytest.mark.parametrize("route", ROUTES)
def test_no_public_route_breaks_on_a_hostile_value(
    client: TestClient, territory: Territory, route: str
) -> None:
    for value in HOSTILE:
        encoded = quote(value.encode("utf-8", "surrogatepass"), safe="")
        response = client.get(route.replace("{v}", encoded))
        assert response.status_code < 500, (route, value[:10], response.text[:300])


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/fr/espace/connexion", "email"),
        ("/fr/espace/connexion", "password"),
        ("/fr/espace/mot-de-passe", "email"),
    ],
)
def test_no_sign_in_form_breaks_on_a_hostile_value(
    client: TestClient, path: str, field: str
) -> None:
    form = client.get(path)
    assert form.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    for value in HOSTILE:
        data = {"email": "a@example.org", "password": "x", field: value}
        if csrf:
            data["csrf"] = csrf.group(1)
        body = urlencode(data, encoding="utf-8", errors="surrogatepass")
        response = client.post(
            path,
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code < 500, (path, field, value[:10])


def test_a_hostile_path_value_is_a_422_in_the_api_and_a_404_page(
    client: TestClient, territory: Territory
) -> None:
    response = client.get("/api/v1/qpv/QN03705M%00")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "code"]
    exported = client.get("/exports/data-inclusion/%C2%90.json")
    assert exported.status_code == 422
    page = client.get("/fr/qpv/QN03705M%00")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
