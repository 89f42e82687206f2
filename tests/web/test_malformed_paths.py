"""One rule for every page route: a path id that is not in the right shape is
the 404 page in the reader's language (HTML, RTL for Arabic), never a JSON
422; the JSON API and the exports keep their 422 naming the field."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.espace.helpers import Browser, make_user
from tests.factories import make_organization

BAD = ["not-a-uuid", quote("<script>alert(1)</script>", safe=""), quote("عربي")]

PUBLIC = [
    "/{lang}/services/{v}",
    "/{lang}/services/{v}.ics",
    "/{lang}/lieux/{v}",
    "/{lang}/structures/{v}",
    "/{lang}/services/{v}/signaler",
    "/{lang}/lieux/{v}/signaler/merci",
]


def _is_404_page(response: object, lang: str) -> None:
    assert response.status_code == 404, response.text[:200]  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    html = BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]
    assert html.select_one("html")["lang"].startswith(lang)
    assert "<script>alert" not in response.text  # type: ignore[attr-defined]


@pytest.mark.parametrize("route", PUBLIC)
def test_public_pages_answer_a_malformed_id_with_the_404_page(
    client: TestClient, route: str
) -> None:
    for lang in ("fr", "ar"):
        for value in BAD:
            response = client.get(route.format(lang=lang, v=value))
            _is_404_page(response, lang)
    arabic = client.get("/ar/services/not-a-uuid")
    assert BeautifulSoup(arabic.text, "html.parser").select_one("html")["dir"] == "rtl"


def test_partner_space_pages_answer_a_malformed_id_with_the_404_page(
    client: TestClient, session: Session
) -> None:
    org = make_organization(session, "asso-ids", name="Asso")
    session.commit()
    make_user(session, "anna@asso.example", org)
    member = Browser(client)
    assert member.sign_in("anna@asso.example").status_code == 303
    for path in (
        "/fr/espace/structures/not-a-uuid",
        "/fr/espace/structures/not-a-uuid/journal",
        f"/fr/espace/structures/{org.id}/services/not-a-uuid",
        f"/fr/espace/structures/{org.id}/services/not-a-uuid/historique",
        "/fr/espace/orientations/not-a-uuid",
        "/ar/espace/orientations/%3Cscript%3E",
    ):
        _is_404_page(member.get(path), path[1:3])
    # A form posted to a malformed id: the 404 page, nothing written.
    posted = member.post("/fr/espace/orientations/not-a-uuid/reponse", {"x": "1"})
    assert posted.status_code in (403, 404)
    assert posted.headers["content-type"].startswith("text/html")


def test_the_api_and_exports_keep_their_422_with_field_paths(
    client: TestClient,
) -> None:
    response = client.get("/api/v1/services/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "service_id"]
    exported = client.get("/exports/data-inclusion/%C2%90.json")
    assert exported.status_code == 422
    # (A page's query errors stay a 422: tests/outreach/test_actions.py, qpv-proche.)
