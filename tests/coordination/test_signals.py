"""Non-recours signals: k-anonymous counts, scoped to the territory."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import HiddenQuery
from tests.coordination.helpers import (
    MALAKOFF_QPV,
    NANTES,
    SANITAS_QPV,
    TOURS,
    coordinator,
    count_searches,
)
from tests.factories import load_real_qpvs


def _cells(html: str, caption_id: str, row: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    table = soup.find(id=caption_id).find_parent("table")
    header = table.find("th", string=row)
    assert header is not None, f"no row {row}"
    return [td.get_text(strip=True) for td in header.parent.find_all("td")]


def _main(html: str) -> str:
    main = BeautifulSoup(html, "html.parser").select_one("main")
    assert main is not None
    return main.get_text(" ")


def _numbers(html: str) -> set[str]:
    soup = BeautifulSoup(html, "html.parser")
    return {td.get_text(strip=True) for td in soup.select("main td")}


def test_no_count_below_five_is_ever_shown(
    client: TestClient, session: Session
) -> None:
    load_real_qpvs(session)
    count_searches(session, 4, qpv_code=SANITAS_QPV, categories="sante", language="ar")
    count_searches(session, 1, days_ago=40, qpv_code=SANITAS_QPV, categories="sante")
    count_searches(session, 7, commune=TOURS, categories="famille", language="fr")
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    html = tours.get("/fr/coordination/signaux").text
    assert "aucun nombre inférieur à 5" in html
    famille = _cells(html, "themes-caption", "Famille")
    assert "7" in famille
    # Health: 4 this month and 1 the month before, never shown as such.
    assert "Santé" not in [
        th.get_text()
        for th in BeautifulSoup(html, "html.parser").select(
            "#themes-caption ~ tbody th"
        )
    ]
    assert not {"1", "2", "3", "4"} & _numbers(html)
    assert "&lt; 5" in html  # the months without enough searches
    # Arabic was used 4 times: not listed among the languages.
    assert "العربية" not in _main(html)


def test_zero_result_queries_under_five_are_not_listed(
    client: TestClient, session: Session
) -> None:
    load_real_qpvs(session)
    zero = {"result_bucket": "0", "commune": TOURS}
    count_searches(session, 6, query="colis alimentaire", language="fr", **zero)
    count_searches(session, 2, query="jean dupont", language="fr", **zero)
    count_searches(session, 3, query="jean dupont", days_ago=10, language="ar", **zero)
    count_searches(session, 4, query="<script>alert(1)</script>", **zero)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    html = tours.get("/fr/coordination/signaux").text
    assert "colis alimentaire" in html
    # 5 searches over two languages: listed, with its main language.
    row = _cells(html, "unmet-caption", "jean dupont")
    assert row[0] == "5" and row[1] == "العربية"
    assert "<script>alert" not in html and "alert(1)" not in html


def test_a_tours_coordinator_sees_no_search_of_nantes(
    client: TestClient, session: Session
) -> None:
    load_real_qpvs(session)
    count_searches(session, 9, qpv_code=MALAKOFF_QPV, categories="sante")
    count_searches(session, 8, commune=NANTES, result_bucket="0", query="avocat")
    count_searches(session, 6, commune=NANTES, language="ps")
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    html = _main(tours.get("/fr/coordination/signaux").text)
    assert "Malakoff" not in html and "avocat" not in html and "پښتو" not in html
    nantes = coordinator(client, session, "nantes@example.org", [NANTES])
    html = _main(nantes.get("/fr/coordination/signaux").text)
    assert "Malakoff" in html and "avocat" in html and "پښتو" in html
    # A query of Nantes cannot be hidden from Tours.
    tours.get("/fr/coordination/signaux")
    refused = tours.post("/fr/coordination/signaux/masquer", {"query": "avocat"})
    assert refused.status_code == 404
    assert session.exec(select(HiddenQuery)).all() == []


def test_a_coordinator_hides_a_query_and_shows_it_again(
    client: TestClient, session: Session
) -> None:
    load_real_qpvs(session)
    count_searches(
        session, 5, commune=TOURS, result_bucket="0", query="insulte", language="fr"
    )
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    tours.get("/fr/coordination/signaux")
    hidden = tours.post("/fr/coordination/signaux/masquer", {"query": "insulte"})
    assert hidden.status_code == 303
    (row,) = session.exec(select(HiddenQuery)).all()
    assert row.query == "insulte"
    html = tours.get(hidden.headers["location"]).text
    assert "Recherche masquée" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("table.unmet") is None
    assert "insulte" in soup.select_one("details.hidden-queries").get_text()
    shown = tours.post("/fr/coordination/signaux/afficher", {"query": "insulte"})
    assert shown.status_code == 303
    assert session.exec(select(HiddenQuery)).all() == []


def test_signals_in_arabic_are_right_to_left(
    client: TestClient, session: Session
) -> None:
    load_real_qpvs(session)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    html = tours.get("/ar/coordination/signaux").text
    assert 'dir="rtl"' in html


def test_hostile_queries_change_nothing(client: TestClient, session: Session) -> None:
    load_real_qpvs(session)
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    tours.get("/fr/coordination/signaux")
    for query in ("a\x00b", "<script>alert(1)</script>", "محامي" * 100, ""):
        response = tours.post("/fr/coordination/signaux/masquer", {"query": query})
        assert response.status_code == 404
    assert session.exec(select(HiddenQuery)).all() == []
