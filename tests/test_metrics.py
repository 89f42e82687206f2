"""/metrics: off by default; when on, counts and times requests per route,
searches and the connection pool, with nothing about who asked or what."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api import db
from api.main import app, create_app
from api.settings import get_settings


@pytest.fixture
def metered(
    use_database: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FastAPI]:
    monkeypatch.setenv("REPERES_METRICS_ENABLED", "true")
    get_settings.cache_clear()
    yield create_app()
    get_settings.cache_clear()


def test_metrics_are_off_by_default(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 404


def test_requests_searches_and_pool_are_measured(metered: FastAPI) -> None:
    with TestClient(metered) as client:
        assert client.get("/api/v1/services", params={"q": "zqxsecret"}).is_success
        assert client.get("/fr/services", params={"q": "zqxsecret"}).is_success
        assert client.get("/api/v1/categories").is_success
        assert client.get("/healthz").is_success
        response = client.get("/metrics")
    assert response.status_code == 200
    text = response.text
    assert (
        'http_requests_total{handler="/api/v1/categories",method="GET",'
        'status="200"} 1.0' in text
    )
    assert (
        'http_request_duration_seconds_count{handler="/{lang}/services",'
        'method="GET",status="200"} 1.0' in text
    )
    assert 'reperes_search_duration_seconds_count{handler="/api/v1/services"} 1.0' in (
        text
    )
    assert 'reperes_search_duration_seconds_count{handler="/{lang}/services"} 1.0' in (
        text
    )
    # Not a search: categories are not timed as one.
    assert (
        'reperes_search_duration_seconds_count{handler="/api/v1/categories"}'
        not in (text)
    )
    # Probes are left out; the pool is read at scrape time.
    assert 'handler="/healthz"' not in text
    assert "reperes_db_pool_checked_out" in text
    # Neither the query nor the client (TestClient calls itself "testclient").
    assert "zqxsecret" not in text
    assert "testclient" not in text


def test_unknown_paths_share_one_label(metered: FastAPI) -> None:
    with TestClient(metered) as client:
        client.get("/wp-login.php")
        client.get("/.env")
        text = client.get("/metrics").text
    assert 'handler="none"' in text
    assert "wp-login" not in text
    assert ".env" not in text


def test_the_pool_figures_follow_the_engine(metered: FastAPI) -> None:
    engine = db.get_engine()
    with TestClient(metered) as client, engine.connect():
        text = client.get("/metrics").text
    checked_out = next(
        line
        for line in text.splitlines()
        if line.startswith("reperes_db_pool_checked_out ")
    )
    assert float(checked_out.split()[1]) >= 1.0
    assert app is not metered
