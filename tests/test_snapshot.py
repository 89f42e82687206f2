"""tests/snapshot.py puts a database back as it was saved, on both back-ends:
rows written after the snapshot are gone, rows deleted are back, and new
rows get the same ids as the first time (sequences rewound), so the API
fuzzing's operations cannot see each other's writes."""

from __future__ import annotations

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from api.models import Service
from api.models.search import Synonym
from api.models.search_scale import SearchEntry
from tests import snapshot
from tests.factories import make_organization, make_service
from tests.territory import build_territory


def _state(engine: Engine) -> tuple[list[str], int, int]:
    with Session(engine) as session:
        names = sorted(session.exec(select(Service.slug)).all())
        synonyms = session.exec(select(func.count()).select_from(Synonym)).one()
        top = session.exec(select(func.max(SearchEntry.id))).one()
    return names, synonyms, top


def test_restore_puts_back_rows_and_sequences(engine: Engine) -> None:
    with Session(engine) as session:
        build_territory(session)
        session.commit()
    saved = snapshot.take(engine)
    before = _state(engine)
    try:
        with Session(engine) as session:
            make_service(session, make_organization(session, "apres"), "nouveau")
            session.delete(session.exec(select(Synonym)).first())
            session.commit()
        written = _state(engine)
        assert written[:2] != before[:2]
        assert written[2] > before[2]

        saved.restore()
        assert _state(engine) == before

        # The same write after a restore gets the same search entry ids.
        with Session(engine) as session:
            make_service(session, make_organization(session, "apres"), "nouveau")
            session.commit()
        assert _state(engine)[2] == written[2]
        saved.restore()
        assert _state(engine) == before
    finally:
        saved.drop()
