"""/readyz: ready only when the database answers and is migrated to head."""

from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api import db
from api.main import app


def client_on(engine: Engine) -> TestClient:
    def session_override() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    app.dependency_overrides[db.get_session] = session_override
    return TestClient(app)


def test_ready_when_migrated_to_head(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "head"}


def test_not_ready_on_an_unmigrated_database(bare_engine: Engine) -> None:
    try:
        response = client_on(bare_engine).get("/readyz")
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == 503
    assert response.json()["migrations"] == "behind"


def test_not_ready_one_migration_behind(engine: Engine) -> None:
    db.downgrade(engine, "-1")
    try:
        response = client_on(engine).get("/readyz")
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "migrations": "behind",
    }


def test_not_ready_when_the_database_is_unreachable() -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    dead = db.make_engine("postgresql+psycopg://postgres@127.0.0.1:9/none")
    try:
        response = client_on(dead).get("/readyz")
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
