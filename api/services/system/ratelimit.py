"""Rate limits: how often one key may act within a time window.

Callers build the keys (``"signin:ip:1.2.3.4"``, ``"signin:email:x@y"``,
``"api:token:<id>"``). Keys hold personal data (IP and e-mail addresses), so
this is the only place they are kept, and only until their window ends: the
in-memory store forgets them, Redis expires them.

Both back-ends count the same way: a fixed window opened by a key's first hit
and closed ``window_seconds`` later; ``hit`` returns None while the count is
within ``limit``, else the seconds until the window closes (``Retry-After``).
Redis shares the counts between processes; memory is per process.

If Redis cannot be reached, limits are counted in memory for a while rather
than refusing everybody or letting everybody through: the directory stays up
and a brute-force attempt is still slowed down, per process.
"""

from __future__ import annotations

import heapq
import ipaddress
import logging
import math
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import cache

import redis
from fastapi import HTTPException, Request, status

from api.i18n import ngettext
from api.settings import Settings, get_settings

log = logging.getLogger("reperes.ratelimit")

Clock = Callable[[], float]
REDIS_PREFIX = "reperes:rl:"
# A limiter must not slow every sign-in down when Redis is unwell.
REDIS_TIMEOUT = 0.5
# After a Redis error, count in memory this long before trying Redis again.
REDIS_RETRY_AFTER = 30.0

# INCR and the expiry in one atomic step: a key can never be left without an
# expiry (which would lock its owner out for good). The TTL is re-set only
# when missing, so hits during a window do not extend it.
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {count, ttl}
"""


class RateLimiter(ABC):
    """Counts hits per key; one interface whatever stores the counts."""

    @abstractmethod
    def hit(self, key: str, limit: int, window_seconds: int) -> int | None:
        """Count one hit on ``key``: None if allowed, else seconds until retry.

        A key keeps one counter whatever ``limit`` and ``window_seconds`` it is
        hit with: callers use one pair per kind of key.
        """

    @abstractmethod
    def peek(self, key: str, limit: int) -> int | None:
        """Seconds until ``key`` may act again once ``limit`` hits were counted
        in its window, else None; counts nothing. Lets a caller count only
        failures (a wrong password) and still refuse before the next attempt."""


def _check(limit: int, window_seconds: int) -> None:
    if limit < 0 or window_seconds < 1:
        raise ValueError(f"bad rate limit: {limit} per {window_seconds} s")


class MemoryRateLimiter(RateLimiter):
    """Counts in this process, thread-safe; each key forgotten when its window ends.

    ``clock`` (monotonic seconds) can be injected so tests need not sleep.
    """

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (ends at, count)
        # (ends at, key), earliest first: expired keys are dropped in O(log n).
        self._expiries: list[tuple[float, str]] = []

    def hit(self, key: str, limit: int, window_seconds: int) -> int | None:
        _check(limit, window_seconds)
        now = self._clock()
        with self._lock:
            self._forget_expired(now)
            if key in self._windows:
                ends_at, count = self._windows[key]
            else:
                ends_at, count = now + window_seconds, 0
                heapq.heappush(self._expiries, (ends_at, key))
            count = min(count + 1, limit + 1)  # no need to count past refusal
            self._windows[key] = (ends_at, count)
        if count <= limit:
            return None
        return max(1, math.ceil(ends_at - now))

    def peek(self, key: str, limit: int) -> int | None:
        now = self._clock()
        with self._lock:
            self._forget_expired(now)
            ends_at, count = self._windows.get(key, (now, 0))
        if count < limit:
            return None
        return max(1, math.ceil(ends_at - now))

    def __len__(self) -> int:
        """How many keys are remembered (expired ones are dropped on each hit)."""
        with self._lock:
            self._forget_expired(self._clock())
            return len(self._windows)

    def _forget_expired(self, now: float) -> None:
        while self._expiries and self._expiries[0][0] <= now:
            _, key = heapq.heappop(self._expiries)
            del self._windows[key]


class RedisRateLimiter(RateLimiter):
    """Counts in Redis, shared by every process; memory while Redis is down."""

    def __init__(
        self,
        url: str,
        *,
        fallback: RateLimiter | None = None,
        retry_after: float = REDIS_RETRY_AFTER,
        clock: Clock = time.monotonic,
    ) -> None:
        self._client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        self._script = self._client.register_script(_HIT_SCRIPT)
        self._fallback = fallback if fallback is not None else MemoryRateLimiter(clock)
        self._retry_after = retry_after
        self._clock = clock
        self._lock = threading.Lock()
        self._down_until: float | None = None  # set while Redis is failing

    @property
    def degraded(self) -> bool:
        """True while counts go to memory because Redis failed."""
        return self._down_until is not None

    def hit(self, key: str, limit: int, window_seconds: int) -> int | None:
        _check(limit, window_seconds)
        down_until = self._down_until
        if down_until is not None and self._clock() < down_until:
            return self._fallback.hit(key, limit, window_seconds)
        try:
            count, ttl_ms = self._script(
                keys=[REDIS_PREFIX + key], args=[window_seconds * 1000]
            )
        except redis.RedisError as error:
            self._failed(error)
            return self._fallback.hit(key, limit, window_seconds)
        if down_until is not None:
            self._recovered()
        if int(count) <= limit:
            return None
        return max(1, math.ceil(int(ttl_ms) / 1000))

    def peek(self, key: str, limit: int) -> int | None:
        down_until = self._down_until
        if down_until is not None and self._clock() < down_until:
            return self._fallback.peek(key, limit)
        try:
            pipe = self._client.pipeline(transaction=False)
            pipe.get(REDIS_PREFIX + key)
            pipe.pttl(REDIS_PREFIX + key)
            count, ttl_ms = pipe.execute()
        except redis.RedisError as error:
            self._failed(error)
            return self._fallback.peek(key, limit)
        if count is None or int(count) < limit or int(ttl_ms) < 0:
            return None
        return max(1, math.ceil(int(ttl_ms) / 1000))

    def _failed(self, error: redis.RedisError) -> None:
        with self._lock:
            first = self._down_until is None
            self._down_until = self._clock() + self._retry_after
        if first:  # one warning per outage, not one per request
            log.warning(
                "Redis unreachable (%s): rate limits counted in memory, per process",
                error,
            )

    def _recovered(self) -> None:
        with self._lock:
            was_down, self._down_until = self._down_until is not None, None
        if was_down:
            log.info("Redis reachable again: rate limits shared again")


class NoLimit(RateLimiter):
    """``REPERES_RATE_LIMITS=false``: for test and load runs only."""

    def hit(self, key: str, limit: int, window_seconds: int) -> int | None:
        return None

    def peek(self, key: str, limit: int) -> int | None:
        return None


def limiter_for(settings: Settings) -> RateLimiter:
    """The process's limiter: Redis when ``settings.redis_url``, else memory.

    One instance per URL, so every request counts into the same store.
    """
    if not settings.rate_limits:
        return NoLimit()
    return _limiter(settings.redis_url)


@cache
def _limiter(redis_url: str) -> RateLimiter:
    return RedisRateLimiter(redis_url) if redis_url else MemoryRateLimiter()


def client_ip(request: Request) -> str:
    """The client's address, used only as a rate-limit key: kept in memory or
    Redis for the window, never stored anywhere else.

    ``X-Forwarded-For`` is believed only from a peer listed in
    ``REPERES_TRUSTED_PROXIES`` (none by default): anyone else could rotate it
    to get unlimited tries. Behind trusted proxies, the client is the last
    address in the header that is not itself a trusted proxy.
    """
    peer = request.client.host if request.client else "unknown"
    trusted = _networks(tuple(get_settings().trusted_proxies))
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # "unknown", a host name: never a trusted proxy
        return False
    return any(ip in network for network in networks)


def too_many(retry_after: int) -> HTTPException:
    """The 429 answer, in the request's language, with ``Retry-After``."""
    if retry_after >= 120:
        minutes = math.ceil(retry_after / 60)
        detail = ngettext(
            "Trop d'essais. Réessayez dans %(num)d minute.",
            "Trop d'essais. Réessayez dans %(num)d minutes.",
            minutes,
        ) % {"num": minutes}
    else:
        detail = ngettext(
            "Trop d'essais. Réessayez dans %(num)d seconde.",
            "Trop d'essais. Réessayez dans %(num)d secondes.",
            retry_after,
        ) % {"num": retry_after}
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        detail=detail,
        headers={"Retry-After": str(retry_after)},
    )
