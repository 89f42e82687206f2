"""Search counts wait in the process and are written together: every
REPERES_SEARCH_STATS_FLUSH_SECONDS, and when the server stops — none lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from api import db
from api.main import app
from api.models import SearchStat
from api.services.search import stats
from api.settings import get_settings
from tests.territory import Territory


@pytest.fixture
def slow_flush(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REPERES_SEARCH_STATS_FLUSH_SECONDS", "3600")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _counted(engine: Engine) -> int:
    with Session(engine) as session:
        return int(
            session.exec(select(func.coalesce(func.sum(SearchStat.count), 0))).one()
        )


def test_counts_wait_in_the_process_then_are_written_when_it_stops(
    engine: Engine, territory: Territory, slow_flush: None
) -> None:
    def session_override() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    with Session(engine) as session:
        stats.flush(session)  # nothing waits; the interval starts now
    app.dependency_overrides[db.get_session] = session_override
    try:
        with TestClient(app) as client:
            for q in ("santé", "santé", "Cours de Yoga"):
                assert (
                    client.get("/api/v1/services", params={"q": q}).status_code == 200
                )
            assert _counted(engine) == 0  # waiting, not lost
        # The server stopped: everything is written.
        assert _counted(engine) == 3
    finally:
        app.dependency_overrides.clear()
    with Session(engine) as session:
        unmet = session.exec(select(SearchStat).where(SearchStat.query != "")).all()
    assert [(s.query, s.count) for s in unmet] == [("cours de yoga", 1)]


def test_a_due_flush_writes_the_waiting_counts_in_one_go(
    engine: Engine,
    territory: Territory,
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPERES_SEARCH_STATS_FLUSH_SECONDS", "3600")
    get_settings.cache_clear()
    try:
        with Session(engine) as session:
            stats.flush(session)
        client.get("/api/v1/services", params={"q": "santé"})
        client.get("/api/v1/services", params={"q": "santé"})
        assert _counted(engine) == 0
        monkeypatch.setenv("REPERES_SEARCH_STATS_FLUSH_SECONDS", "0")
        get_settings.cache_clear()
        client.get("/api/v1/services", params={"q": "santé"})  # due: all three
        assert _counted(engine) == 3
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
