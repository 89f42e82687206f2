"""Search in the residents' own languages and scripts (issue 11, part 1):
content translations, translated theme and public labels, per-language
synonyms; an unreadable or meaningless query never widens to everything."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session
from typer.testing import CliRunner

from api.cli import app
from api.models import Permanence, Service, Translation, TranslationStatus
from api.services.listings.revisions import SYSTEM, save
from tests.factories import make_organization, make_place, make_service
from tests.territory import SANITAS, Territory

JUSTICE = (
    "difficultes-administratives-ou-juridiques--"
    "prendre-en-compte-une-problematique-judiciaire"
)
LEGAL = "Permanence juridique"
GROCERY = "Épicerie solidaire"
HEALTH = "Consultation santé sans mutuelle"
CV = "Atelier CV par téléphone"


def translate(
    session: Session, service: Service, field: str, language: str, text: str
) -> None:
    save(
        session,
        Translation(
            entity_type="service",
            entity_id=service.id,
            field=field,
            language=language,
            text=text,
            status=TranslationStatus.reviewed,
        ),
        SYSTEM,
    )


@pytest.fixture
def languages(session: Session, territory: Territory) -> Territory:
    """The territory, plus a legal-aid service with no translation at all, and
    a few translated texts written by partners."""
    org = make_organization(session, "cdad", name="Point justice")
    place = make_place(
        session,
        org,
        "tribunal",
        name="Maison de la justice",
        lat=SANITAS[0] + 0.002,
        lon=SANITAS[1],
        insee_code="37261",
    )
    legal = make_service(
        session,
        org,
        "permanence-juridique",
        name=LEGAL,
        description="Un juriste répond à vos questions sur vos droits.",
        categories=[JUSTICE],
        publics=["tous-publics"],
    )
    save(
        session,
        Permanence(
            service_id=legal.id, opening_hours="Th 14:00-17:00", place_id=place.id
        ),
        SYSTEM,
    )
    translate(session, territory.grocery, "name", "ar", "بقالة تضامنية")
    translate(
        session,
        territory.grocery,
        "description",
        "es",
        "Productos de alimentación e higiene a bajo precio.",
    )
    translate(
        session,
        territory.health,
        "falc_summary",
        "uk",
        "Лікарі приймають людей без страховки.",
    )
    session.commit()
    return territory


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/services", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def names(client: TestClient, **params: Any) -> list[str]:
    return sorted(item["name"] for item in search(client, **params)["items"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Arabic: a synonym ("lawyer"), and a partner's translated name.
        ("محامي", [LEGAL]),
        ("مُحامي", [LEGAL]),  # with a vowel mark
        ("بقالة", [GROCERY]),
        # Ukrainian: the translated label of the health category, the
        # translated label of a public ("young people"), a translated summary.
        ("Здоров’я", [HEALTH]),
        ("молодь", [CV]),
        ("лікарі", [HEALTH]),
        ("адвокат", [LEGAL]),
        # Tigrinya (Ge'ez script): a synonym and a translated category label.
        ("ጠበቃ", [LEGAL]),
        ("ጥዕና", [HEALTH]),
        # Dari: a synonym ("food") and the translated health label.
        ("غذا", [GROCERY]),
        ("صحت", [HEALTH]),
        # English: synonyms and labels.
        ("lawyer", [LEGAL]),
        ("food", [GROCERY]),
        ("Health", [HEALTH]),
        # Spanish: a synonym, and a partner's translated description.
        ("abogado", [LEGAL]),
        ("productos higiene", [GROCERY]),
    ],
)
def test_each_language_finds_its_services(
    client: TestClient, languages: Territory, query: str, expected: list[str]
) -> None:
    assert names(client, q=query) == expected


RIGHTS = (
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
)


@pytest.mark.parametrize("query", ["محامي", "محامية", "lawyer", "адвокат", "وکیل"])
def test_lawyer_means_legal_aid_not_every_rights_service(
    client: TestClient, session: Session, languages: Territory, query: str
) -> None:
    """« محامي » once meant the whole rights category (120 of the 310 demo
    services): a person asking for a lawyer gets legal aid only."""
    org = make_organization(session, "caf-droits", name="Point droits")
    make_service(
        session,
        org,
        "acces-droits",
        name="Accès aux droits CAF",
        description="Ouverture de droits, prime d'activité.",
        categories=[RIGHTS],
    )
    session.commit()
    assert "Accès aux droits CAF" in names(client, q="droits")
    assert names(client, q=query) == [LEGAL]


@pytest.mark.parametrize("query", ["ጨጨጨጨ", "щзхъжфыэ", "ڤڤڤڤ"])
def test_a_nonsense_word_in_any_script_finds_nothing(
    client: TestClient, languages: Territory, query: str
) -> None:
    found = search(client, q=query)
    assert found["total"] == 0 and found["items"] == []
    assert found["unreadable"] is False  # it was read: nothing matches it


@pytest.mark.parametrize("query", ["؟؟؟", "!!! ...", "de la", "🙂"])
def test_an_unreadable_query_finds_nothing_and_says_so(
    client: TestClient, languages: Territory, query: str
) -> None:
    assert search(client)["total"] == 4  # what "everything" would have been
    found = search(client, q=query)
    assert found["unreadable"] is True
    assert found["total"] == 0 and found["items"] == []


def test_the_results_page_says_it_could_not_read_and_offers_themes(
    client: TestClient, languages: Territory
) -> None:
    page = client.get("/ar/services", params={"q": "؟؟؟"})
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    status = soup.select_one(".unreadable")
    assert status is not None
    assert len(status.select("a.theme")) >= 8
    assert soup.select(".result-list li") == []
    french = BeautifulSoup(
        client.get("/fr/services", params={"q": "???"}).text, "html.parser"
    )
    assert "Nous n'avons pas pu lire cette recherche." in french.select_one(
        ".unreadable"
    ).get_text(" ", strip=True)


def test_plural_and_singular_find_the_same_services(
    client: TestClient, languages: Territory
) -> None:
    for singular, plural in [
        ("médecin", "médecins"),
        ("consultation", "consultations"),
        ("juriste", "juristes"),
        ("produit", "produits"),
    ]:
        assert names(client, q=plural) == names(client, q=singular) != []


def test_public_filter_includes_services_for_everyone(
    client: TestClient, languages: Territory
) -> None:
    assert names(client, public="jeunes") == [CV, HEALTH, LEGAL]
    assert names(client, public="tous-publics") == [HEALTH, LEGAL]


def test_add_synonym_teaches_a_word_in_a_language(
    client: TestClient, languages: Territory, use_database: str
) -> None:
    runner = CliRunner()
    assert names(client, q="ዳኛ") == []  # "judge", in Tigrinya: unknown yet
    result = runner.invoke(
        app, ["add-synonym", "ዳኛ", "--category", JUSTICE, "--lang", "ti"]
    )
    assert result.exit_code == 0, result.output
    assert names(client, q="ዳኛ") == [LEGAL]
    wrong = runner.invoke(
        app, ["add-synonym", "ዳኛ", "--category", JUSTICE, "--lang", "xx"]
    )
    assert wrong.exit_code == 2 and "--lang" in wrong.output
