"""POST /api/v1/falc/check is public, so it is rate-limited per client address."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.routes.falc import PER_IP, WINDOW
from api.services.system.ratelimit import limiter_for
from api.settings import get_settings


def test_checks_are_limited_per_address(client: TestClient) -> None:
    limiter = limiter_for(get_settings())
    for _ in range(PER_IP - 1):  # someone already typed a lot this minute
        assert limiter.hit("falc:ip:testclient", PER_IP, WINDOW) is None
    last = client.post("/api/v1/falc/check", json={"text": "Bonjour."})
    assert last.status_code == 200 and last.json() == {"score": 100, "findings": []}
    refused = client.post("/api/v1/falc/check?lang=en", json={"text": "Bonjour."})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= WINDOW
    assert refused.json()["detail"].startswith("Too many")
    # Invalid bodies count too, and another address is not affected.
    assert client.post("/api/v1/falc/check", json={}).status_code == 429
    assert limiter.hit("falc:ip:192.0.2.1", PER_IP, WINDOW) is None


def test_the_limit_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/falc/check"]
    responses = operation["post"]["responses"]
    assert {"200", "400", "422", "429"} <= set(responses)
    assert responses["429"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorModel"
    }
