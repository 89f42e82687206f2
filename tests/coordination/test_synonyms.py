"""Synonyms managed by coordinators: teach, list, take back."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Synonym, TaughtSynonym
from api.services.search.text import synonym_categories
from tests.coordination.helpers import NANTES, TOURS, coordinator
from tests.espace.helpers import signed_in


def _word(session: Session, term: str, language: str = "fr") -> Synonym | None:
    session.expire_all()
    return session.exec(
        select(Synonym).where(Synonym.term == term, Synonym.language == language)
    ).first()


def test_a_coordinator_teaches_search_a_word(
    client: TestClient, session: Session
) -> None:
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    form = tours.get("/fr/coordination/synonymes?mot=colis&langue=fr")
    assert 'value="colis"' in form.text
    response = tours.post(
        "/fr/coordination/synonymes",
        {
            "term": "Colis",
            "language": "fr",
            "categories": ["equipement-et-alimentation"],
        },
    )
    assert response.status_code == 303
    word = _word(session, "colis")
    assert word is not None and word.categories == ["equipement-et-alimentation"]
    assert synonym_categories(session, "un colis") >= {"equipement-et-alimentation"}
    page = tours.get(response.headers["location"]).text
    assert "Mot appris" in page and "colis" in page


def test_a_bad_word_is_refused_next_to_its_field_and_kept(
    client: TestClient, session: Session
) -> None:
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    tours.get("/ar/coordination/synonymes")
    response = tours.post(
        "/ar/coordination/synonymes",
        {"term": "\x00<script>", "language": "xx", "categories": ["nope"]},
    )
    assert response.status_code == 400
    assert 'id="err-language"' in response.text
    assert 'id="err-categories"' in response.text
    assert "<script>" not in response.text.split("<main", 1)[1].replace(
        "<script src=", ""
    )
    assert session.exec(select(Synonym)).all() == []
    hostile = tours.post(
        "/ar/coordination/synonymes",
        {"term": "محامي", "language": "ar", "categories": []},
    )
    assert hostile.status_code == 400
    assert 'id="err-categories"' in hostile.text
    assert 'value="محامي"' in hostile.text  # the value is kept
    assert session.exec(select(Synonym)).all() == []


def test_a_coordinator_takes_back_only_what_they_taught(
    client: TestClient, session: Session
) -> None:
    session.add(Synonym(language="fr", term="papiers", categories=["famille"]))
    session.commit()
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    nantes = coordinator(client, session, "nantes@example.org", [NANTES])
    tours.get("/fr/coordination/synonymes")
    tours.post(
        "/fr/coordination/synonymes",
        {"term": "papiers", "language": "fr", "categories": ["numerique", "famille"]},
    )
    word = _word(session, "papiers")
    assert word is not None and word.categories == ["famille", "numerique"]
    (taught,) = session.exec(select(TaughtSynonym)).all()
    assert taught.categories == ["numerique"]  # famille was already known
    nantes.get("/fr/coordination/synonymes")
    refused = nantes.post(f"/fr/coordination/synonymes/{word.id}/retirer")
    assert refused.status_code == 403
    removed = tours.post(f"/fr/coordination/synonymes/{word.id}/retirer")
    assert removed.status_code == 303
    assert "theme=numerique" in removed.headers["location"]  # to teach it again
    word = _word(session, "papiers")
    assert word is not None and word.categories == ["famille"]
    assert session.exec(select(TaughtSynonym)).all() == []
    # Nothing of theirs left: no remove button for the shipped word.
    assert (
        f"/synonymes/{word.id}/retirer"
        not in tours.get("/fr/coordination/synonymes").text
    )


def test_the_superadmin_removes_any_word(client: TestClient, session: Session) -> None:
    session.add(Synonym(language="ar", term="محامي", categories=["famille"]))
    session.commit()
    word = _word(session, "محامي", "ar")
    admin = signed_in(client, session, "admin@example.org", is_superadmin=True)
    page = admin.get("/ar/coordination/synonymes?q=محامي").text
    assert f"/synonymes/{word.id}/retirer" in page
    assert "محامي" not in admin.get("/ar/coordination/synonymes?dans=fr").text
    assert "محامي" in admin.get("/ar/coordination/synonymes?dans=ar").text
    assert (
        admin.post(f"/ar/coordination/synonymes/{word.id}/retirer").status_code == 303
    )
    assert _word(session, "محامي", "ar") is None


def test_removing_an_unknown_word_is_a_404(
    client: TestClient, session: Session
) -> None:
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    tours.get("/fr/coordination/synonymes")
    assert tours.post("/fr/coordination/synonymes/999/retirer").status_code == 404
    assert tours.post("/fr/coordination/synonymes/abc/retirer").status_code == 404


def test_a_partner_cannot_teach_search(client: TestClient, session: Session) -> None:
    partner = signed_in(client, session, "membre@example.org")
    partner.get("/fr/espace/")
    response = partner.post(
        "/fr/coordination/synonymes",
        {"term": "colis", "language": "fr", "categories": ["famille"]},
    )
    assert response.status_code == 403
    assert session.exec(select(Synonym)).all() == []


def test_hostile_words_are_folded_or_refused(
    client: TestClient, session: Session
) -> None:
    tours = coordinator(client, session, "tours@example.org", [TOURS])
    tours.get("/fr/coordination/synonymes")
    response = tours.post(
        "/fr/coordination/synonymes",
        {"term": "col\x00is <b>", "language": "fr", "categories": ["famille"]},
    )
    assert response.status_code == 303
    (word,) = session.exec(select(Synonym)).all()
    assert "\x00" not in word.term and "<" not in word.term
    searched = tours.get("/fr/coordination/synonymes?q=<script>")
    assert searched.status_code == 200 and "<script>alert" not in searched.text
    assert 'value="&lt;script&gt;"' in searched.text
    arabic = tours.get("/ar/coordination/synonymes?q=محامي")
    assert arabic.status_code == 200
    assert arabic.text.count("<tbody>") == 0  # no word starts so: the empty state
