"""Errors on pages are pages: translated, in the site's layout, with a way
back to search — the database down included. The API keeps JSON."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import HTTPException
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from api import db
from api.main import app
from tests.territory import Territory


def _is_error_page(response: object, lang: str, title: str) -> None:
    assert "text/html" in response.headers["content-type"]  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert f'<html lang="{lang}"' in html
    assert f"<h1>{title}</h1>" in html
    assert f'action="/{lang}/services"' in html  # the way back to search
    assert "{&#34;detail&#34;" not in html and '{"detail"' not in html


@pytest.mark.parametrize(
    ("lang", "title", "direction"),
    [("fr", "Page introuvable", "ltr"), ("ar", "الصفحة غير موجودة", "rtl")],
)
def test_an_unknown_service_is_a_translated_404_page(
    client: TestClient, territory: Territory, lang: str, title: str, direction: str
) -> None:
    response = client.get(f"/{lang}/services/{uuid.uuid4()}")
    assert response.status_code == 404
    _is_error_page(response, lang, title)
    assert f'dir="{direction}"' in response.text


def test_an_unknown_page_and_language_are_404_pages(
    client: TestClient, territory: Territory
) -> None:
    response = client.get("/fr/nulle-part/ici")
    assert response.status_code == 404
    _is_error_page(response, "fr", "Page introuvable")
    unknown_language = client.get("/xx/services", headers={"Accept": "text/html"})
    assert unknown_language.status_code == 404
    _is_error_page(unknown_language, "fr", "Page introuvable")


def test_the_api_keeps_json(client: TestClient, territory: Territory) -> None:
    response = client.get(f"/api/v1/services/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "Not found"}
    refused = client.delete("/api/v1/services", headers={"Accept": "text/html"})
    assert refused.status_code == 405 and "detail" in refused.json()


def test_a_refused_method_names_every_allowed_one(client: TestClient) -> None:
    response = client.delete("/api/v1/partner/places")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) >= {"GET", "POST"}


@pytest.fixture
def failing_page(client: TestClient) -> Iterator[TestClient]:
    """A page that fails as asked, for the errors no page can be made to
    raise on demand (403 from a proxy rule, 429 from a limiter, a bug)."""

    async def fail(status: int) -> None:
        if status == 500:
            raise RuntimeError("a bug")
        raise HTTPException(status, headers={"Retry-After": "30"})

    route = APIRoute("/{lang}/test-erreur/{status}", fail, include_in_schema=False)
    app.router.routes.insert(0, route)
    yield TestClient(app, raise_server_exceptions=False)
    app.router.routes.remove(route)


@pytest.mark.parametrize(
    ("status", "lang", "title"),
    [
        (403, "fr", "Accès refusé"),
        (403, "ar", "تم رفض الوصول"),
        (429, "fr", "Trop de demandes"),
        (429, "ar", "طلبات كثيرة جدًا"),
        (500, "fr", "Erreur du site"),
        (500, "ar", "خطأ في الموقع"),
    ],
)
def test_other_errors_are_translated_pages(
    failing_page: TestClient, status: int, lang: str, title: str
) -> None:
    response = failing_page.get(f"/{lang}/test-erreur/{status}")
    assert response.status_code == status
    _is_error_page(response, lang, title)
    if status == 429:
        assert response.headers["retry-after"] == "30"


@pytest.fixture
def database_down(tmp_path: Path) -> Iterator[TestClient]:
    """The app pointed at a database that cannot be opened (a file in a
    directory that does not exist): every connection fails, as when the
    database server is down."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'missing' / 'reperes.db'}")

    def unreachable() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    app.dependency_overrides[db.get_session] = unreachable
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()
    engine.dispose()


@pytest.mark.parametrize(
    ("lang", "title"),
    [("fr", "Service momentanément indisponible"), ("ar", "الخدمة غير متاحة مؤقتًا")],
)
def test_with_the_database_down_pages_say_so_in_the_page_language(
    database_down: TestClient, lang: str, title: str
) -> None:
    for path in (f"/{lang}/services?q=colis", f"/{lang}/"):
        response = database_down.get(path)
        assert response.status_code == 503, response.text
        _is_error_page(response, lang, title)
        assert response.headers["retry-after"] == "60"


def test_with_the_database_down_the_api_answers_json(
    database_down: TestClient,
) -> None:
    response = database_down.get("/api/v1/services")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()
