"""Strict-Transport-Security only when the site is served over https."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import get_settings


def test_no_hsts_over_plain_http(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "strict-transport-security" not in response.headers


@pytest.fixture
def https_site(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setenv("REPERES_BASE_URL", "https://reperes.example.org")
    get_settings.cache_clear()
    https_app = create_app()
    # The same test database as ``client``.
    https_app.dependency_overrides = client.app.dependency_overrides  # type: ignore[attr-defined]
    with TestClient(https_app, base_url="https://testserver") as https_client:
        yield https_client
    get_settings.cache_clear()


def test_hsts_on_every_answer_over_https(https_site: TestClient) -> None:
    for path in ("/healthz", "/fr/", "/api/v1/categories", "/fr/nowhere/at/all"):
        response = https_site.get(path)
        assert response.headers["strict-transport-security"] == "max-age=31536000"
