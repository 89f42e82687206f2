"""After load-demo, an Arabic reader gets the demo services' names and
easy-to-read summaries in Arabic, on the service page and in the results."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from api.models import Service, ServiceStatus
from data.loaders.load_all import load_everything
from data.loaders.paths import DEMO_DIRECTORY

ARABIC = json.loads((DEMO_DIRECTORY.parent / "translations" / "ar.json").read_text())
CLOTHES = "equipement-et-alimentation--habillement"


def test_demo_names_and_summaries_are_arabic_on_ar_pages(
    client: TestClient, session: Session
) -> None:
    load_everything(session)
    service = session.exec(
        select(Service).where(
            col(Service.slug).startswith("vestiaire-tours"),
            Service.status == ServiceStatus.published,
        )
    ).first()
    assert service is not None and service.falc_summary is not None
    name, summary = ARABIC[service.name], ARABIC[service.falc_summary]

    page = BeautifulSoup(client.get(f"/ar/services/{service.id}").text, "html.parser")
    assert page.h1.get_text(strip=True) == name
    assert page.h1.get("lang") is None  # in the page's language, not marked French
    assert page.find(string=lambda text: text and summary in text) is not None

    results = BeautifulSoup(
        client.get(f"/ar/services?category={CLOTHES}").text, "html.parser"
    )
    titles = results.select(".result-list .card-title")
    assert titles, "the clothes services are listed"
    assert {title.get_text(strip=True) for title in titles} == {name}
    assert all(title.get("lang") is None for title in titles)
    # The urgent services' descriptions are translated too.
    shelter = session.exec(
        select(Service).where(col(Service.slug).startswith("veille-sociale-tours-heb"))
    ).one()
    page = BeautifulSoup(client.get(f"/ar/services/{shelter.id}").text, "html.parser")
    assert page.find(string=lambda t: t and ARABIC[shelter.description] in t)
    # The French page is unchanged.
    french = BeautifulSoup(client.get(f"/fr/services/{service.id}").text, "html.parser")
    assert french.h1.get_text(strip=True) == service.name
