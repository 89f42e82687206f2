"""A fresh, migrated database for every test: a SQLite file, or a PostgreSQL
schema when DATABASE_URL points at PostgreSQL. The real app, never mocks."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from api import db
from api.main import app
from api.services.system.ratelimit import _limiter
from api.settings import get_settings

PG_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgresql")


@pytest.fixture(scope="session", autouse=True)
def shared_extensions() -> None:
    """unaccent lives in ``public``, shared by every test schema: created in a
    test's own schema, it would vanish with it (and under parallel runs)."""
    if not ON_POSTGRES:
        return
    admin = db.make_engine(PG_URL)
    with admin.begin() as connection:
        where = connection.execute(
            text(
                "SELECT n.nspname FROM pg_extension e "
                "JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'unaccent'"
            )
        ).scalar()
        if where is None:
            connection.execute(text("CREATE EXTENSION unaccent SCHEMA public"))
        elif where != "public":
            connection.execute(text("ALTER EXTENSION unaccent SET SCHEMA public"))
    admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """URL of an empty database that only this test uses."""
    with fresh_database_url(tmp_path) as url:
        yield url


@contextmanager
def fresh_database_url(directory: Path) -> Iterator[str]:
    """An empty database, dropped on exit: a SQLite file in `directory`, or a
    PostgreSQL schema of its own (also for fixtures wider than one test)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{directory / 'reperes.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{separator}options=-csearch_path%3D{schema},public"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def bare_engine(database_url: str) -> Iterator[Engine]:
    """An engine on the empty database, not migrated."""
    engine = db.make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    db.upgrade(bare_engine)
    return bare_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def use_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the settings (and so the CLI) at this test's database."""
    monkeypatch.setenv("REPERES_DATABASE_URL", database_url)
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    yield database_url
    db.get_engine().dispose()
    get_settings.cache_clear()
    db.get_engine.cache_clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Each test starts with nobody over a limit (the store lives per process)."""
    _limiter.cache_clear()
    yield
    _limiter.cache_clear()


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    def session_override() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    app.dependency_overrides[db.get_session] = session_override
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()


# A small known territory, shared by the API and page tests.
from tests.territory import territory  # noqa: E402, F401
