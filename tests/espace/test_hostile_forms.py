"""The partner forms follow the same text policy as the API: a hostile
character is an error next to its field, in the page's language, and nothing
is written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Place, Role, Service
from tests.espace.helpers import Browser, make_user
from tests.factories import make_organization

FOOD = "equipement-et-alimentation--alimentation"


@pytest.fixture
def editor(client: TestClient, session: Session) -> tuple[Browser, str]:
    org = make_organization(session, "asso")
    session.commit()
    make_user(session, "ed@example.org", org, Role.editor)
    browser = Browser(client)
    assert browser.sign_in("ed@example.org").status_code == 303
    return browser, f"/{{lang}}/espace/structures/{org.id}"


@pytest.mark.parametrize(
    ("lang", "value", "message"),
    [
        ("fr", "Épicerie\x00", "U+0000"),
        ("fr", "Épicerie\rATTACH:x", "une ligne"),
        ("ar", "Épicerie\ue000", "U+E000"),
    ],
)
def test_a_service_form_refuses_a_hostile_name(
    editor: tuple[Browser, str], session: Session, lang: str, value: str, message: str
) -> None:
    browser, base = editor
    response = browser.post(
        f"{base.format(lang=lang)}/services/nouveau",
        {
            "name": value,
            "categories": [FOOD],
            "publics": ["tous-publics"],
            "status": "published",
            "visibility": "public",
        },
    )
    assert response.status_code in (200, 400, 422), response.text[:300]
    assert message in response.text
    assert session.exec(select(Service)).all() == []


def test_a_place_form_refuses_a_private_use_character_in_its_hours(
    editor: tuple[Browser, str], session: Session
) -> None:
    browser, base = editor
    response = browser.post(
        f"{base.format(lang='fr')}/lieux/nouveau",
        {"name": "Local", "commune": "Tours", "opening_hours": "Mo 10:00-12:00\ue000"},
    )
    assert response.status_code in (200, 400, 422)
    assert "U+E000" in response.text
    assert session.exec(select(Place)).all() == []


def test_a_description_keeps_its_lines(
    editor: tuple[Browser, str], session: Session
) -> None:
    browser, base = editor
    response = browser.post(
        f"{base.format(lang='fr')}/services/nouveau",
        {
            "name": "Épicerie",
            "description": "Ligne une\r\nLigne deux",
            "categories": [FOOD],
            "publics": ["tous-publics"],
            "status": "published",
            "visibility": "public",
        },
    )
    assert response.status_code == 303, response.text[:500]
    service = session.exec(select(Service)).one()
    assert service.description == "Ligne une\nLigne deux"
