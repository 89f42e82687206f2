"""Concurrent clients against a real server, and percentiles."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import httpx


@dataclass
class Measure:
    p50: float
    p95: float
    p99: float
    per_second: float
    errors: int
    count: int


def percentiles(samples_ms: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples_ms)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return cut[49], cut[94], cut[98]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(app: str, env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """uvicorn on 127.0.0.1 only; stopped whatever happens."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def hammer(url: str, requests: int, concurrency: int, warmup: int = 10) -> Measure:
    """``requests`` GETs of ``url`` from ``concurrency`` clients; bounded in count."""
    with httpx.Client(timeout=60) as client:
        for _ in range(warmup):
            try:
                client.get(url)
            except httpx.HTTPError:
                pass

    def worker(n: int) -> list[tuple[float, int]]:
        out = []
        with httpx.Client(timeout=60) as client:
            for _ in range(n):
                t0 = time.perf_counter()
                try:
                    status = client.get(url).status_code
                except httpx.HTTPError:
                    status = 0  # a timeout or reset counts as an error, not a crash
                out.append(((time.perf_counter() - t0) * 1000, status))
        return out

    share = [requests // concurrency] * concurrency
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = [r for chunk in pool.map(worker, share) for r in chunk]
    elapsed = time.perf_counter() - started
    p50, p95, p99 = percentiles([ms for ms, _ in results])
    errors = sum(1 for _, status in results if status != 200)
    return Measure(p50, p95, p99, len(results) / elapsed, errors, len(results))


def time_calls(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    p50, p95, _ = percentiles(samples)
    return p50, p95
