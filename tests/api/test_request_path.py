"""The request path around the search, as the server runs it (no session
override): every connection goes back to the pool, whatever the answer."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api import db
from api.main import app


def test_sessions_give_their_connection_back(use_database: str, engine: Engine) -> None:
    with TestClient(app) as client:
        assert client.get("/api/v1/services", params={"q": "aide"}).status_code == 200
        assert client.get("/api/v1/services.geojson").status_code == 200
        unknown = "/api/v1/services/00000000-0000-4000-8000-000000000000"
        assert client.get(unknown).status_code == 404  # raised mid-session
        bad = client.get("/api/v1/services", params={"category": "nope"})
        assert bad.status_code == 422
        assert client.get("/healthz").json()["database"] == "ok"
        assert client.get("/fr/services").status_code == 200
        assert db.get_engine().pool.checkedout() == 0  # type: ignore[attr-defined]
