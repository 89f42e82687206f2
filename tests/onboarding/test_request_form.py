"""The public request form refuses bad input next to the field, in the
page's language, keeps what was typed, and keeps robots out."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import OrganizationRequest
from api.services.onboarding import form
from api.settings import get_settings
from tests.onboarding.helpers import VALID, send_request, tokens


def stored(session: Session) -> list[OrganizationRequest]:
    session.expire_all()
    return list(session.exec(select(OrganizationRequest)).all())


@pytest.mark.parametrize(
    ("siret", "fr", "ar"),
    [
        ("55210055400014", "Ce SIRET n'existe pas", "رقم SIRET هذا غير موجود"),
        ("5521005540001A", "ne contient que des chiffres", "من أرقام فقط"),
        ("5521005540001", "Un SIRET a 14 chiffres", "مكوّن من 14 رقمًا"),
    ],
)
def test_a_bad_siret_is_refused_next_to_the_field_in_the_pages_language(
    client: TestClient, session: Session, siret: str, fr: str, ar: str
) -> None:
    for lang, message in (("fr", fr), ("ar", ar)):
        page = send_request(client, lang, siret=siret)
        assert page.status_code == 400
        soup = BeautifulSoup(page.text, "html.parser")
        error = soup.select_one("#err-siret")
        assert error is not None and message in error.text
        field = soup.select_one("#f-siret")
        assert field["aria-invalid"] == "true" and field["value"] == siret
        assert "err-siret" in field["aria-describedby"]
        assert soup.select_one("#f-name")["value"] == VALID["name"]
    assert stored(session) == []


def test_missing_fields_an_unknown_commune_and_a_bad_address_are_named(
    client: TestClient, session: Session
) -> None:
    page = send_request(
        client, name="", commune="Paris", contact_email="not-an-address"
    )
    assert page.status_code == 400
    soup = BeautifulSoup(page.text, "html.parser")
    assert "obligatoire" in soup.select_one("#err-name").text
    assert "Commune inconnue" in soup.select_one("#err-commune").text
    assert soup.select_one("#err-contact_email") is not None
    assert soup.select_one("#form-errors") is not None
    assert stored(session) == []


def test_a_postal_code_names_the_commune(client: TestClient, session: Session) -> None:
    assert send_request(client, commune="44000").status_code == 303
    assert stored(session)[0].insee_code == "44109"


def test_a_robot_filling_the_hidden_field_is_thanked_and_forgotten(
    client: TestClient, session: Session
) -> None:
    sent = send_request(client, **{form.HONEYPOT: "http://spam.example"})
    assert sent.status_code == 303
    assert sent.headers["location"] == "/fr/referencer/envoye"
    assert stored(session) == []


def test_a_form_sent_at_once_or_with_a_forged_time_is_refused(
    client: TestClient, session: Session
) -> None:
    page = client.get("/fr/referencer")
    data = {**VALID, **tokens(page.text)}
    data[form.STAMP] = form.stamp(get_settings().secret_key)  # shown just now
    fast = client.post("/fr/referencer", data=data)
    assert fast.status_code == 400 and "trop vite" in fast.text
    assert BeautifulSoup(fast.text, "html.parser").select_one("#f-siret")["value"]
    data[form.STAMP] = "forged"
    forged = client.post("/fr/referencer", data=data)
    assert forged.status_code == 400 and "expiré" in forged.text
    assert stored(session) == []


def test_a_form_without_its_token_changes_nothing(
    client: TestClient, session: Session
) -> None:
    page = client.get("/fr/referencer")
    data = {**VALID, **tokens(page.text)}
    data.pop("csrf")
    assert client.post("/fr/referencer", data=data).status_code == 403
    data["csrf"] = tokens(page.text)["csrf"]
    cross = client.post(
        "/fr/referencer", data=data, headers={"sec-fetch-site": "cross-site"}
    )
    assert cross.status_code == 403
    assert stored(session) == []


def test_one_address_is_limited(client: TestClient, session: Session) -> None:
    for number in range(10):
        email = f"person{number}@example.org"
        assert send_request(client, contact_email=email).status_code == 303
    refused = send_request(client, contact_email="eleventh@example.org")
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert "Réessayez dans" in refused.text
    assert len(stored(session)) == 10


def test_a_claim_on_an_unknown_organisation_is_a_404(client: TestClient) -> None:
    assert client.get("/fr/referencer?structure=nope").status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/fr/referencer?structure={missing}").status_code == 404


def test_over_long_values_are_refused_by_field_on_both_back_ends(
    client: TestClient, session: Session
) -> None:
    page = send_request(
        client,
        name="A" * 201,
        contact_phone="+" + "1" * 32,
        description="mot " * 300,
        contact_email="a" * 250 + "@example.org",
    )
    assert page.status_code == 400
    soup = BeautifulSoup(page.text, "html.parser")
    for name in ("name", "contact_phone", "description", "contact_email"):
        assert soup.select_one(f"#err-{name}") is not None, name
    longest = send_request(client, name="A" * 200, contact_phone="+" + "1" * 31)
    assert longest.status_code == 303
    assert len(stored(session)) == 1
