"""Sign-in throttling slows a guesser down without locking the real owner out,
and X-Forwarded-For is believed only from configured proxies."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.settings import get_settings
from tests.espace.helpers import PASSWORD, Browser, csrf_of, make_user
from tests.factories import make_organization
from tests.live_server import free_port, live_server

WRONG = "wrong password!"


def from_address(client: TestClient, ip: str) -> Browser:
    return Browser(TestClient(client.app, client=(ip, 40000)))


@pytest.fixture
def trusted_proxies(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REPERES_TRUSTED_PROXIES", '["127.0.0.1", "10.0.0.0/8"]')
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_guesses_from_many_addresses_do_not_lock_the_owner_out(
    client: TestClient, session: Session
) -> None:
    make_user(session, "owner@example.org", make_organization(session, "asso"))
    for i in range(12):  # more than any per-account limit would allow
        attacker = from_address(client, f"198.51.100.{i + 1}")
        assert attacker.sign_in("owner@example.org", WRONG).status_code == 400
    owner = from_address(client, "203.0.113.7")
    assert owner.sign_in("owner@example.org").status_code == 303


def test_one_address_guessing_one_account_waits_longer_and_longer(
    client: TestClient, session: Session
) -> None:
    make_user(session, "owner@example.org")
    guesser = from_address(client, "198.51.100.1")
    statuses = [
        guesser.sign_in("owner@example.org", WRONG).status_code for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    refused = guesser.sign_in("owner@example.org")  # even the right password
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert "Trop d&#39;essais" in refused.text


def test_one_address_trying_many_accounts_is_capped(client: TestClient) -> None:
    sprayer = TestClient(client.app, client=("198.51.100.1", 40000))
    token = csrf_of(sprayer.get("/fr/espace/connexion").text)
    statuses = [
        sprayer.post(
            "/fr/espace/connexion",
            data={"csrf": token, "email": f"user{i}@example.org", "password": WRONG},
        ).status_code
        for i in range(51)
    ]
    assert statuses[:50] == [400] * 50 and statuses[50] == 429


def rotating(client: TestClient, email: str, tries: int) -> list[int]:
    """Sign-in attempts from 127.0.0.1, each claiming another forwarded address."""
    loopback = TestClient(client.app, client=("127.0.0.1", 40000))
    token = csrf_of(loopback.get("/fr/espace/connexion").text)
    return [
        loopback.post(
            "/fr/espace/connexion",
            data={"csrf": token, "email": email, "password": WRONG},
            headers={"X-Forwarded-For": f"192.0.2.{i + 1}"},
        ).status_code
        for i in range(tries)
    ]


def test_forwarded_for_is_ignored_by_default(
    client: TestClient, session: Session
) -> None:
    make_user(session, "owner@example.org")
    assert rotating(client, "owner@example.org", 6) == [400] * 5 + [429]


def test_forwarded_for_is_believed_from_trusted_proxies(
    client: TestClient, session: Session, trusted_proxies: None
) -> None:
    make_user(session, "owner@example.org")
    assert rotating(client, "owner@example.org", 6) == [400] * 6
    # The client is the last address that is not a trusted proxy.
    loopback = TestClient(client.app, client=("127.0.0.1", 40000))
    token = csrf_of(loopback.get("/fr/espace/connexion").text)
    chain = "192.0.2.50, 10.1.2.3"  # client, then an inner proxy
    statuses = [
        loopback.post(
            "/fr/espace/connexion",
            data={"csrf": token, "email": "owner@example.org", "password": WRONG},
            headers={"X-Forwarded-For": chain},
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]


def test_a_bad_trusted_proxy_setting_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPERES_TRUSTED_PROXIES", '["not-an-address"]')
    get_settings.cache_clear()
    try:
        with pytest.raises(ValueError):
            get_settings()
    finally:
        monkeypatch.delenv("REPERES_TRUSTED_PROXIES")
        get_settings.cache_clear()


def test_reperes_serve_does_not_believe_forwarded_for_from_loopback(
    engine: Engine, database_url: str, session: Session
) -> None:
    """uvicorn alone trusts X-Forwarded-For from 127.0.0.1: the served app must not."""
    make_user(session, "owner@example.org")
    port = free_port()
    env = {
        "REPERES_DATABASE_URL": database_url,
        "PORT": str(port),
        "REPERES_TRUSTED_PROXIES": None,
    }
    reperes = str(Path(sys.executable).with_name("reperes"))
    serve = [reperes, "serve", "--port", str(port)]
    with live_server(serve, port, env, attempts=200) as base:
        with httpx.Client(base_url=base) as http:
            token = csrf_of(http.get("/fr/espace/connexion").text)
            statuses = [
                http.post(
                    "/fr/espace/connexion",
                    data={
                        "csrf": token,
                        "email": "owner@example.org",
                        "password": WRONG,
                    },
                    headers={"X-Forwarded-For": f"192.0.2.{i + 1}"},
                ).status_code
                for i in range(6)
            ]
        assert statuses == [400] * 5 + [429]


def test_a_successful_sign_in_still_works_after_a_typo(
    client: TestClient, session: Session
) -> None:
    make_user(session, "owner@example.org")
    owner = from_address(client, "203.0.113.7")
    assert owner.sign_in("owner@example.org", WRONG).status_code == 400
    assert owner.sign_in("owner@example.org", PASSWORD).status_code == 303


def test_peek_refuses_once_the_limit_is_counted_and_counts_nothing() -> None:
    from api.services.system.ratelimit import MemoryRateLimiter

    now = [0.0]
    limiter = MemoryRateLimiter(clock=lambda: now[0])
    assert limiter.peek("k", 2) is None
    limiter.hit("k", 2, 60)
    assert limiter.peek("k", 2) is None and limiter.peek("k", 2) is None
    limiter.hit("k", 2, 60)
    assert limiter.peek("k", 2) == 60
    now[0] = 59.5
    assert limiter.peek("k", 2) == 1
    now[0] = 60.0
    assert limiter.peek("k", 2) is None and len(limiter) == 0
