"""PostgreSQL's title tier is an index lookup (migration 0016): the words in
a title are found on the title's own tsvector, never by reading every
document that holds them somewhere (issue 11: a broad word's tier was a scan
of 95,000 documents at 100k)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlmodel import Session, select

from api.models import Organization, Service, ServiceStatus
from api.services.search import engine, sql
from api.services.search.filters import SearchFilters
from tests.api.test_search_scale import ORIGIN, search
from tests.conftest import ON_POSTGRES
from tests.factories import make_organization, make_place

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL only")


def test_the_title_tier_reads_the_title_index(session: Session) -> None:
    tier = sql.title_tier("postgresql", ["aide", "alimentaire"])
    statement = select(tier.c.entry_id).compile(
        dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    # A handful of rows in a test: only forbidding the scan shows whether the
    # index can answer the query at all.
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(session.execute(text(f"EXPLAIN {statement}")).scalars())
    assert "ix_search_document_title_tsv" in plan


def test_a_word_of_the_title_only_makes_the_tier(
    client: TestClient, session: Session
) -> None:
    """The title's tsvector follows every edit (a generated column): a word
    of the description alone ranks after the titles, and a renamed service
    enters or leaves the title tier."""
    org = make_organization(session, name="Réseau")
    make_place(session, org, "centre", lat=ORIGIN[0], lon=ORIGIN[1])
    services = published(
        session,
        org,
        [
            ("epicerie", "Épicerie solidaire", "Des colis alimentaires."),
            ("colis", "Colis alimentaires", "Une épicerie le mardi."),
        ],
    )
    assert names(client, "alimentaire") == ["Colis alimentaires", "Épicerie solidaire"]

    grocery, parcels = services
    grocery.name, parcels.name = "Épicerie alimentaire", "Colis du mardi"
    session.commit()
    assert names(client, "alimentaire") == ["Épicerie alimentaire"]


def names(client: TestClient, q: str) -> list[str]:
    return [item["name"] for item in search(client, q=q)["items"]]


def published(
    session: Session, org: Organization, rows: list[tuple[str, str, str]]
) -> list[Service]:
    """Published services of ``org`` from (slug, name, description), saved."""
    services = [
        Service(
            organization_id=org.id,
            slug=slug,
            name=name,
            description=description,
            status=ServiceStatus.published,
        )
        for slug, name, description in rows
    ]
    session.add_all(services)
    session.commit()
    return services


def test_title_matches_rank_by_their_title_alone(
    client: TestClient, session: Session
) -> None:
    """Among services holding the words in their name, the name decides:
    the word twice there first, then name order; a description repeating
    the word no longer lifts a title match above another."""
    org = make_organization(session, name="Réseau")
    make_place(session, org, "centre", lat=ORIGIN[0], lon=ORIGIN[1])
    published(
        session,
        org,
        [
            ("zebre", "Zèbre accompagnement", "Accompagnement, accompagnement."),
            ("bravo", "Bravo accompagnement", "Un lieu."),
            ("double", "Accompagnement et pré-accompagnement", "Un lieu."),
            ("corps", "Permanence", "Un accompagnement, un accompagnement."),
        ],
    )
    assert names(client, "accompagnement") == [
        "Accompagnement et pré-accompagnement",
        "Bravo accompagnement",
        "Zèbre accompagnement",
        "Permanence",
    ]


def test_a_search_with_words_is_planned_with_them(session: Session) -> None:
    """psycopg prepares a statement run five times; a plan kept for any value
    of the words hashed the whole entry table for a broad word's titles
    (issue 11, page 50 at 100k). A search with words plans its statements
    with their values; one without words leaves the setting alone."""
    now = datetime.now(UTC)

    def mode_after(q: str | None) -> str:
        engine._find(session, SearchFilters(q=q), now)
        shown = session.execute(text("SHOW plan_cache_mode")).scalar_one()
        session.rollback()  # SET LOCAL ends with the transaction
        return str(shown)

    assert mode_after(None) == "auto"
    assert mode_after("aide alimentaire") == "force_custom_plan"
    assert mode_after(None) == "auto"


def test_the_words_are_written_into_the_statement(session: Session) -> None:
    """Even a plan kept for any value (the map, exports) sees the words: the
    statement holds them, so ``to_tsquery`` is worked out once while
    planning, never again for each row (a parameter's was)."""
    tier = sql.title_tier("postgresql", ["aide"])
    statement = select(tier.c.entry_id)
    sent: list[str] = []

    def grab(conn: Any, cursor: Any, sql_text: str, *args: Any) -> None:
        sent.append(sql_text)

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", grab)
    try:
        assert session.execute(statement).all() == []
    finally:
        event.remove(bind, "before_cursor_execute", grab)
    assert "to_tsquery('reperes_fr'::regconfig, 'aide:*')" in sent[0]
