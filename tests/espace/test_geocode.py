"""Optional geocoding of a place's address against a real local HTTP server
answering like the Base Adresse Nationale (nothing is sent when not configured)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Place, Role
from api.settings import get_settings
from tests.espace.helpers import Browser, make_user
from tests.factories import make_organization

QUERIES: list[str] = []


class _Ban(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        QUERIES.append(query)
        features = []
        if "Sanitas" in query:
            features = [
                {
                    "geometry": {"type": "Point", "coordinates": [0.69977, 47.38165]},
                    "properties": {"label": "Place du Sanitas 37000 Tours"},
                }
            ]
        body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def geocoder(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ban)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(
        "REPERES_GEOCODER_URL", f"http://127.0.0.1:{server.server_port}/search/"
    )
    get_settings.cache_clear()
    yield server.server_address[0]
    server.shutdown()
    get_settings.cache_clear()


def editor(client: TestClient, session: Session) -> tuple[Browser, str]:
    org = make_organization(session, "asso")
    session.commit()
    make_user(session, "ed@example.org", org, Role.editor)
    browser = Browser(client)
    assert browser.sign_in("ed@example.org").status_code == 303
    return browser, f"/fr/espace/structures/{org.id}/lieux/nouveau"


def test_without_a_geocoder_nothing_is_offered(
    client: TestClient, session: Session
) -> None:
    browser, url = editor(client, session)
    page = browser.get(url)
    assert page.status_code == 200 and 'name="address"' in page.text
    assert 'value="geocode"' not in page.text


def test_the_position_is_found_from_the_address(
    client: TestClient, session: Session, geocoder: str
) -> None:
    browser, url = editor(client, session)
    form = {"name": "Maison", "address": "Place du Sanitas", "commune": "Tours"}
    page = browser.get(url)
    assert page.status_code == 200 and 'value="geocode"' in page.text
    found = browser.post(url, {**form, "action": "geocode"})
    assert found.status_code == 200
    assert 'value="47.381650"' in found.text and 'value="0.699770"' in found.text
    assert "Place du Sanitas 37000 Tours" in found.text
    assert session.exec(select(Place)).first() is None  # nothing saved yet
    assert QUERIES[-1] == "Place du Sanitas Tours"
    missing = browser.post(
        url, {**form, "address": "Rue inconnue", "action": "geocode"}
    )
    assert missing.status_code == 200 and 'id="err-address"' in missing.text
