"""Structured logs: JSON lines with a request id (also sent back in a header),
no client address, no query string unless asked for."""

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.observability.logging import configure_logging
from api.settings import get_settings
from tests.live_server import free_port, live_server


@pytest.fixture
def logs(client: TestClient) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging(get_settings(), stream=stream)
    yield stream
    configure_logging(get_settings())


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_is_one_json_line_with_its_id(
    client: TestClient, logs: io.StringIO
) -> None:
    response = client.get(
        "/fr/services",
        params={"q": "zqxsecret"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert response.status_code == 200
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 32
    [entry] = [e for e in lines(logs) if e["event"] == "request"]
    assert entry["request_id"] == request_id
    assert entry["path"] == "/fr/services"
    assert entry["method"] == "GET"
    assert entry["status"] == 200
    assert entry["level"] == "info"
    assert entry["duration_ms"] >= 0
    raw = logs.getvalue()
    assert "zqxsecret" not in raw
    assert "203.0.113.9" not in raw
    assert "testclient" not in raw  # the TestClient's own client address


def test_every_request_gets_its_own_id(client: TestClient, logs: io.StringIO) -> None:
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz").headers["x-request-id"]
    assert first != second
    assert [e["request_id"] for e in lines(logs)] == [first, second]


def test_a_proxy_request_id_is_kept_a_forged_one_replaced(
    client: TestClient, logs: io.StringIO
) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "proxy-1234abcd"})
    assert kept.headers["x-request-id"] == "proxy-1234abcd"
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" level=error fake=1'})
    assert forged.headers["x-request-id"] != 'x" level=error fake=1'
    assert "fake" not in logs.getvalue()


def test_errors_are_logged_with_the_request_id(
    client: TestClient, logs: io.StringIO
) -> None:
    response = client.get("/api/v1/services/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    [entry] = lines(logs)
    assert entry["status"] == 404
    assert entry["request_id"] == response.headers["x-request-id"]


def test_query_strings_are_logged_only_when_asked(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.main import create_app

    monkeypatch.setenv("REPERES_LOG_QUERY_STRING", "true")
    monkeypatch.setenv("REPERES_LOG_FORMAT", "console")
    get_settings.cache_clear()
    try:
        debug_app = create_app()
        stream = io.StringIO()
        configure_logging(get_settings(), stream=stream)
        with TestClient(debug_app) as debugging:
            assert debugging.get("/healthz", params={"q": "zqxsecret"}).is_success
    finally:
        get_settings.cache_clear()
        configure_logging(get_settings())
    text = stream.getvalue()
    assert "q=zqxsecret" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text.splitlines()[0])


@pytest.mark.parametrize("workers", ["1", "2"])
def test_reperes_serve_writes_no_access_log(
    engine: Engine, database_url: str, tmp_path: Path, workers: str
) -> None:
    """uvicorn's access log carries each client's address: `reperes serve`
    (one process or several) must not write it; the app's own line stays."""
    port = free_port()
    env = {"REPERES_DATABASE_URL": database_url, "PORT": str(port)}
    reperes = str(Path(sys.executable).with_name("reperes"))
    command = [reperes, "serve", "--port", str(port), "--workers", workers]
    log = tmp_path / "server.log"
    with log.open("wb") as stderr:
        with live_server(command, port, env, attempts=300, stderr=stderr) as base:
            assert httpx.get(f"{base}/fr/").status_code == 200
    written = log.read_text()
    assert "reperes.request" in written  # the app's line, without the address
    assert "uvicorn.access" not in written
    assert 'HTTP/1.1"' not in written
