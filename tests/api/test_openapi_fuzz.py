"""schemathesis against /openapi.json: generated requests never get a 5xx, and
every response matches the documented schema — public and partner API, on
SQLite and on PostgreSQL (`make test` runs the suite on both).

Deterministic: Hypothesis is derandomized (a fixed seed per operation) and
keeps no example database between runs, and every operation starts from the
same content: one migrated database holding the small territory and a partner
token is built once for the module, saved (tests/snapshot.py) and put back
before each operation (a few hundredths of a second on SQLite, about half a
second on PostgreSQL under load, instead of 2 to 14 s for a fresh database
and territory), so no operation sees another's writes and a run fails or
passes the same way in any order. Rate limits are off for the run
(REPERES_RATE_LIMITS=false): otherwise the checker's 60 a minute would answer
most examples with 429.

REPERES_FUZZ_EXAMPLES sets the examples per operation: 300 by default, so
`make test` runs the deep run on both back-ends (the bulk route is capped, see
SLOW). Besides them, schemathesis's coverage phase sends every boundary case
the schema defines (up to about 300 more for the route with most parameters).
Measured on 6 December 2026, this file alone on a 2-core machine, the two
back-ends side by side (load average 6 to 7), 0 server errors and 0 schema
violations: at 300, SQLite 892 s (14:51) and PostgreSQL 1,007 s (16:47),
bulk 120 s and 110 s of it; at 40 (load 4 to 6), SQLite 299 s and
PostgreSQL 308 s. Before this layout (a fresh database and territory per
operation, a dependency override): at 40, SQLite 421 s (load 1 to 10) and
PostgreSQL 1,064 s (load 7 to 10); at 300, 17 and 19 minutes at load 15.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlmodel import Session

from api import db
from api.main import app
from api.services.accounts.auth import issue_token
from api.settings import get_settings
from tests import snapshot
from tests.conftest import fresh_database_url
from tests.factories import make_organization
from tests.territory import build_territory

EXAMPLES = int(os.environ.get("REPERES_FUZZ_EXAMPLES", "300"))
# A per-operation budget: one generated bulk upload may hold 5,000 places and
# 5,000 services (the documented limit) and take 30 s to build and write, so
# the bulk route gets at most 40 examples whatever the depth asked (77 s on
# SQLite, 205 s on PostgreSQL at 40); the other operations take a few
# milliseconds a request and get them all (300 by default).
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


@dataclass
class Fuzzing:
    token: str
    saved: snapshot.Snapshot


@pytest.fixture(scope="module")
def fuzzed_database(
    tmp_path_factory: pytest.TempPathFactory, shared_extensions: None
) -> Iterator[Fuzzing]:
    """One migrated database holding the territory and a partner token, built
    once for the module and made the app's database; every operation starts
    from its saved content (fresh_content), never from another's writes."""
    directory = tmp_path_factory.mktemp("fuzz")
    with fresh_database_url(directory) as url, pytest.MonkeyPatch.context() as patch:
        # The app's own engine on this database, not a dependency override:
        # with any override installed, FastAPI rebuilds every dependency of
        # every route on every request (profiled: a fifth of the app's time).
        patch.setenv("REPERES_DATABASE_URL", url)
        patch.setenv("REPERES_RATE_LIMITS", "false")
        get_settings.cache_clear()
        db.get_engine.cache_clear()
        engine = db.get_engine()
        db.upgrade(engine)
        with Session(engine) as session:
            build_territory(session)
            # A read-write token of an organisation with listings, so partner
            # operations are called signed in, not only refused with 401.
            org = make_organization(session, "fuzz", name="Structure du test")
            token = issue_token(session, org, "fuzz", ["read", "write"]).secret
            session.commit()
        saved = snapshot.take(engine)
        yield Fuzzing(token, saved)
        saved.drop()
        engine.dispose()
        get_settings.cache_clear()
        db.get_engine.cache_clear()


@pytest.fixture
def fresh_content(fuzzed_database: Fuzzing) -> Fuzzing:
    fuzzed_database.saved.restore()
    return fuzzed_database


def check(case: Any, fuzzing: Fuzzing) -> None:
    # Some valid-looking combinations are refused on purpose (open_now with
    # open_at, a radius without a point): a 422 naming the field, never a 5xx.
    headers = (
        {"Authorization": f"Bearer {fuzzing.token}"}
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
def test_the_api_honours_its_schema(case: Any, fresh_content: Fuzzing) -> None:
    check(case, fresh_content)


@schema.include(path_regex=SLOW).parametrize()
@settings(max_examples=SLOW_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
def test_the_bulk_upload_honours_its_schema(case: Any, fresh_content: Fuzzing) -> None:
    check(case, fresh_content)
