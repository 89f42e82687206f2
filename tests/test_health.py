from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlmodel import Session

from api import db
from api.main import app


def test_healthz_is_ok_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    dead = db.make_engine("postgresql+psycopg://postgres@127.0.0.1:9/none")

    def unreachable() -> Iterator[Session]:
        with Session(dead) as session:
            yield session

    app.dependency_overrides[db.get_session] = unreachable
    try:
        response = TestClient(app).get("/healthz")
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
