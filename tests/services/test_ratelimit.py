"""Rate limits: the same counting in memory and in a real Redis, and the fallback."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import redis

from api.services.system.ratelimit import (
    REDIS_PREFIX,
    MemoryRateLimiter,
    RateLimiter,
    RedisRateLimiter,
    limiter_for,
    too_many,
)
from api.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/15"


class FakeClock:
    """Monotonic seconds that move only when told: no sleeping in tests."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def allowed_then_refused(
    limiter: RateLimiter, key: str, limit: int, window: int
) -> int:
    for _ in range(limit):
        assert limiter.hit(key, limit, window) is None
    retry = limiter.hit(key, limit, window)
    assert retry is not None and 0 < retry <= window
    return retry


def hammer(limiter: RateLimiter, key: str, limit: int, threads: int, each: int) -> int:
    """Hit ``key`` from many threads at once; how many hits were allowed."""
    allowed = 0
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker() -> None:
        nonlocal allowed
        start.wait()
        for _ in range(each):
            if limiter.hit(key, limit, 60) is None:
                with lock:
                    allowed += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return allowed


# Memory -------------------------------------------------------------------


def test_memory_allows_the_limit_then_says_when_to_retry() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock)
    assert allowed_then_refused(limiter, "signin:ip:192.0.2.1", 3, 60) == 60
    clock.now += 45.5
    assert limiter.hit("signin:ip:192.0.2.1", 3, 60) == 15  # rounded up
    # Refused hits do not push the window further.
    clock.now += 14.5
    assert limiter.hit("signin:ip:192.0.2.1", 3, 60) is None


def test_memory_keys_are_independent() -> None:
    limiter = MemoryRateLimiter(FakeClock())
    allowed_then_refused(limiter, "signin:ip:192.0.2.1", 2, 60)
    assert limiter.hit("signin:ip:192.0.2.2", 2, 60) is None
    assert limiter.hit("signin:email:a@example.org", 2, 60) is None


def test_memory_forgets_keys_when_their_window_ends() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock)
    for i in range(100):
        limiter.hit(f"signin:ip:192.0.2.{i}", 5, 10)
    limiter.hit("api:token:long", 5, 60)
    assert len(limiter) == 101
    clock.now += 10
    assert len(limiter) == 1  # the IP addresses are gone
    clock.now += 50
    assert len(limiter) == 0
    allowed_then_refused(limiter, "api:token:long", 5, 60)


def test_memory_counts_exactly_across_threads() -> None:
    limiter = MemoryRateLimiter()
    assert hammer(limiter, "api:token:t", limit=250, threads=8, each=100) == 250


def test_a_limit_of_zero_refuses_and_bad_windows_are_errors() -> None:
    limiter = MemoryRateLimiter(FakeClock())
    assert limiter.hit("k", 0, 30) == 30
    with pytest.raises(ValueError):
        limiter.hit("k", 5, 0)


# Redis --------------------------------------------------------------------


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as error:
        # On CI the shared limiter is part of what ships: no Redis is a
        # failure there, not a skip nobody reads.
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but no Redis server at {REDIS_URL} ({error})")
        pytest.skip(f"no Redis server at {REDIS_URL} ({error})")
    yield client
    client.close()


@pytest.fixture
def prefix(redis_client: redis.Redis) -> Iterator[str]:
    """A key prefix only this test uses; its keys are deleted afterwards."""
    unique = f"test-{uuid.uuid4().hex}:"
    yield unique
    keys = list(redis_client.scan_iter(match=f"{REDIS_PREFIX}{unique}*"))
    if keys:
        redis_client.delete(*keys)


def test_redis_allows_the_limit_then_says_when_to_retry(
    redis_client: redis.Redis, prefix: str
) -> None:
    limiter = RedisRateLimiter(REDIS_URL)
    key = f"{prefix}signin:ip:192.0.2.1"
    retry = allowed_then_refused(limiter, key, 3, 60)
    assert retry in (59, 60)
    assert not limiter.degraded
    # Stored under our prefix, with an expiry: Redis forgets the address too.
    ttl = redis_client.pttl(REDIS_PREFIX + key)
    assert 0 < ttl <= 60_000
    assert redis_client.get(REDIS_PREFIX + key) == b"4"


def test_redis_keys_are_independent(redis_client: redis.Redis, prefix: str) -> None:
    limiter = RedisRateLimiter(REDIS_URL)
    allowed_then_refused(limiter, f"{prefix}signin:ip:192.0.2.1", 2, 60)
    assert limiter.hit(f"{prefix}signin:ip:192.0.2.2", 2, 60) is None
    assert limiter.hit(f"{prefix}signin:email:a@example.org", 2, 60) is None


def test_redis_refused_hits_do_not_extend_the_window(
    redis_client: redis.Redis, prefix: str
) -> None:
    limiter = RedisRateLimiter(REDIS_URL)
    key = f"{prefix}k"
    allowed_then_refused(limiter, key, 1, 60)
    redis_client.pexpire(REDIS_PREFIX + key, 5_000)  # as if 55 s had passed
    assert limiter.hit(key, 1, 60) == 5
    assert redis_client.pttl(REDIS_PREFIX + key) <= 5_000


def test_redis_allows_again_when_the_window_ends(
    redis_client: redis.Redis, prefix: str
) -> None:
    limiter = RedisRateLimiter(REDIS_URL)
    key = f"{prefix}k"
    allowed_then_refused(limiter, key, 2, 60)
    redis_client.pexpire(REDIS_PREFIX + key, 1)  # the window ends now
    time.sleep(0.01)
    allowed_then_refused(limiter, key, 2, 60)


def test_redis_counts_exactly_across_threads(
    redis_client: redis.Redis, prefix: str
) -> None:
    limiter = RedisRateLimiter(REDIS_URL)
    assert hammer(limiter, f"{prefix}api:token:t", limit=150, threads=8, each=40) == 150


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nobody listens once closed


def test_unreachable_redis_falls_back_to_memory_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    limiter = RedisRateLimiter(
        f"redis://127.0.0.1:{closed_port()}/15", retry_after=30, clock=clock
    )
    with caplog.at_level(logging.WARNING, logger="reperes.ratelimit"):
        assert allowed_then_refused(limiter, "signin:ip:192.0.2.1", 3, 60) == 60
        assert limiter.degraded
        clock.now += 31  # Redis is tried again, still down: still counted
        assert limiter.hit("signin:ip:192.0.2.1", 3, 60) == 29
        assert limiter.hit("signin:ip:192.0.2.2", 3, 60) is None
    warnings = [r for r in caplog.records if r.name == "reperes.ratelimit"]
    assert len(warnings) == 1
    assert "Redis" in warnings[0].getMessage()


def test_recovered_redis_is_used_again(redis_client: redis.Redis, prefix: str) -> None:
    """The fallback is for an outage: once Redis answers, counts are shared again."""
    clock = FakeClock()
    limiter = RedisRateLimiter(REDIS_URL, clock=clock)
    key = f"{prefix}k"
    limiter._failed(redis.ConnectionError("simulated outage"))
    assert limiter.degraded
    assert limiter.hit(key, 5, 60) is None
    assert redis_client.get(REDIS_PREFIX + key) is None  # counted in memory
    clock.now += 31
    assert limiter.hit(key, 5, 60) is None
    assert not limiter.degraded
    assert redis_client.get(REDIS_PREFIX + key) == b"1"


# Choice and HTTP answer ---------------------------------------------------


def test_limiter_for_picks_the_backend_once_per_url() -> None:
    memory = limiter_for(Settings(redis_url=""))
    assert isinstance(memory, MemoryRateLimiter)
    assert limiter_for(Settings(redis_url="")) is memory
    shared = limiter_for(Settings(redis_url=REDIS_URL))
    assert isinstance(shared, RedisRateLimiter)
    assert limiter_for(Settings(redis_url=REDIS_URL)) is shared


@pytest.mark.parametrize(
    ("retry_after", "words"),
    [
        (1, "1 seconde"),
        (30, "30 secondes"),
        (119, "119 secondes"),
        (3600, "60 minutes"),
    ],
)
def test_too_many_is_a_429_with_retry_after(retry_after: int, words: str) -> None:
    error = too_many(retry_after)
    assert error.status_code == 429
    assert error.headers == {"Retry-After": str(retry_after)}
    assert words in error.detail


def test_too_many_is_raised_and_answered_by_fastapi() -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()
    limiter = MemoryRateLimiter()

    @app.post("/signin")
    def signin() -> dict[str, bool]:
        retry = limiter.hit("signin:ip:testclient", 1, 60)
        if retry is not None:
            raise too_many(retry)
        return {"ok": True}

    client = TestClient(app)
    assert client.post("/signin").status_code == 200
    answer = client.post("/signin")
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "60"
    assert "60 secondes" in answer.json()["detail"]
