"""PostgreSQL's title tier is an index lookup (migration 0016): the words in
a title are found on the title's own tsvector, never by reading every
document that holds them somewhere (issue 11: a broad word's tier was a scan
of 95,000 documents at 100k)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from api.models import Service, ServiceStatus
from api.services.search import sql
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
    services = [
        Service(
            organization_id=org.id,
            slug=slug,
            name=name,
            description=description,
            status=ServiceStatus.published,
        )
        for slug, name, description in [
            ("epicerie", "Épicerie solidaire", "Des colis alimentaires."),
            ("colis", "Colis alimentaires", "Une épicerie le mardi."),
        ]
    ]
    session.add_all(services)
    session.commit()
    assert names(client, "alimentaire") == ["Colis alimentaires", "Épicerie solidaire"]

    grocery, parcels = services
    grocery.name, parcels.name = "Épicerie alimentaire", "Colis du mardi"
    session.commit()
    assert names(client, "alimentaire") == ["Épicerie alimentaire"]


def names(client: TestClient, q: str) -> list[str]:
    return [item["name"] for item in search(client, q=q)["items"]]
