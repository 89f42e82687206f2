"""schemathesis against /openapi.json: generated requests never get a 5xx, and
every response matches the documented schema — public and partner API, on
SQLite and on PostgreSQL (`make test` runs the suite on both).

Deterministic: Hypothesis is derandomized (a fixed seed per operation) and
keeps no example database between runs, and each operation starts from a fresh
database holding the same small territory (function-scoped fixtures), so a
run fails or passes the same way every time. Rate limits are off for the run
(REPERES_RATE_LIMITS=false): otherwise the checker's 60 a minute would answer
most examples with 429. REPERES_FUZZ_EXAMPLES sets the examples per operation:
40 in `make test`, 300 in `make fuzz` (both back-ends; the bulk route is capped,
see SLOW).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlmodel import Session

from api.main import app
from api.services.accounts.auth import issue_token
from api.settings import get_settings
from tests.factories import make_organization
from tests.territory import Territory

EXAMPLES = int(os.environ.get("REPERES_FUZZ_EXAMPLES", "40"))
# A per-operation budget: one generated bulk upload may hold 5,000 places and
# 5,000 services (the documented limit) and take 30 s to build and write, so
# the bulk route gets at most 40 examples whatever the depth asked; the other
# operations take a few milliseconds a request and get them all (`make fuzz`:
# 300). Measured at 40 examples: bulk was a third of the request time.
SLOW = r"^/api/v1/partner/bulk$"
SLOW_EXAMPLES = min(EXAMPLES, 40)

# Loading needs no database: the OpenAPI document is built from the routes.
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
}


@pytest.fixture
def no_rate_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REPERES_RATE_LIMITS", "false")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("REPERES_RATE_LIMITS")
    get_settings.cache_clear()


@pytest.fixture
def partner_token(session: Session, territory: Territory) -> str:
    """A read-write token of an organisation with listings, so partner
    operations are called signed in, not only refused with 401."""
    org = make_organization(session, "fuzz", name="Structure du test")
    secret = issue_token(session, org, "fuzz", ["read", "write"]).secret
    session.commit()
    return secret


def check(case: Any, partner_token: str) -> None:
    # `client` installed this test's database on `app`, which the case calls.
    # Some valid-looking combinations are refused on purpose (open_now with
    # open_at, a radius without a point): a 422 naming the field, never a 5xx.
    headers = (
        {"Authorization": f"Bearer {partner_token}"}
        if case.path.startswith("/api/v1/partner")
        else None
    )
    # A generated bulk upload may hold thousands of rows: more than the
    # default 10 s on a loaded machine, and still no error.
    case.call_and_validate(
        headers=headers, excluded_checks=[positive_data_acceptance], timeout=120
    )


@schema.exclude(path_regex=SLOW).parametrize()
@settings(max_examples=EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
def test_the_api_honours_its_schema(
    case: Any,
    client: TestClient,
    no_rate_limits: None,
    partner_token: str,
) -> None:
    check(case, partner_token)


@schema.include(path_regex=SLOW).parametrize()
@settings(max_examples=SLOW_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
def test_the_bulk_upload_honours_its_schema(
    case: Any,
    client: TestClient,
    no_rate_limits: None,
    partner_token: str,
) -> None:
    check(case, partner_token)
