"""Static files under content-hashed URLs, cached a year; other URLs briefly."""

import hashlib
import re
from pathlib import Path

from fastapi.testclient import TestClient

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"


def test_pages_link_static_files_by_content_hash(client: TestClient) -> None:
    page = client.get("/fr/")
    assert page.status_code == 200
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    assert "/static/css/site.css" in {link.split("?")[0] for link in links}
    for link in links:
        path, _, version = link.removeprefix("/static/").partition("?v=")
        digest = hashlib.sha256((STATIC / path).read_bytes()).hexdigest()
        assert version == digest[:12], link
        response = client.get(link)
        assert response.status_code == 200, link
        assert (
            response.headers["cache-control"] == "public, max-age=31536000, immutable"
        )


def test_an_unversioned_or_old_url_is_cached_briefly(client: TestClient) -> None:
    for url in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=3600"


def test_a_missing_file_is_not_cached(client: TestClient) -> None:
    response = client.get("/static/css/nothing-here.css?v=000000000000")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("cache-control", "")
