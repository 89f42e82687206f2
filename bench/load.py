"""A real uvicorn server, concurrent clients against it, and percentiles.

Everything is bounded: requests per query, seconds per query, seconds per
request, and the server is stopped (with its workers) whatever happens.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

HOST = "127.0.0.1"  # the load never leaves this machine


@dataclass
class Measure:
    p50: float | None
    p95: float | None
    p99: float | None
    per_second: float
    errors: int
    timeouts: int
    count: int
    seconds: float
    cut_short: bool  # the time budget ran out before every request was sent
    samples: list[float] = field(default_factory=list)  # ms, when kept

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("samples")
        return out


def percentiles(samples_ms: list[float]) -> tuple[float | None, ...]:
    """p50, p95, p99 (inclusive method); None when there are too few samples."""
    if len(samples_ms) < 2:
        only = samples_ms[0] if samples_ms else None
        return only, only, only
    cut = statistics.quantiles(sorted(samples_ms), n=100, method="inclusive")
    return cut[49], cut[94], cut[98]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """In the child: SIGTERM when the bench dies, so no server outlives it."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextmanager
def server(app: str, env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    """``uvicorn app`` on 127.0.0.1, no access log (errors appended to ``log``);
    stopped with its workers."""
    port = free_port()
    # As production runs it: ``reperes serve``'s socket and worker processes
    # (uvicorn's own socket for several workers delays every answer ~40 ms).
    command = [sys.executable, "-m", "bench.serve_app", app, HOST, str(port)]
    command.append(str(workers))
    if app == "api.main:app":
        reperes = str(Path(sys.executable).with_name("reperes"))
        command = [reperes, "serve", "--host", HOST, "--port", str(port)]
        command += ["--workers", str(workers)]
    output = log.open("ab")
    process = subprocess.Popen(
        command,
        stdout=output,
        stderr=subprocess.STDOUT,
        env={**os.environ, **env},
        start_new_session=True,  # its own process group: workers included
        preexec_fn=_die_with_parent,
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{app} exited with {process.returncode}, see {log}")
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{app} not ready after 90 s")
            time.sleep(0.2)
        yield base
    finally:
        _stop(process)
        output.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    try:  # workers left behind, if any: the group is ours alone
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def hammer(
    url: str,
    requests: int,
    concurrency: int,
    max_seconds: float,
    request_timeout: float,
    warmup: int = 5,
    keep_samples: bool = False,
) -> Measure:
    """Up to ``requests`` GETs of ``url`` from ``concurrency`` clients (one
    connection each, kept alive), stopping early after ``max_seconds``."""
    with httpx.Client(timeout=request_timeout) as client:
        for _ in range(warmup):
            try:
                client.get(url)
            except httpx.HTTPError:
                break  # too slow to warm up: the measure will say so
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + max_seconds

    def take() -> bool:
        with lock:
            if remaining[0] <= 0 or time.monotonic() > deadline:
                return False
            remaining[0] -= 1
            return True

    def worker(_: int) -> list[tuple[float, int]]:
        out = []
        with httpx.Client(timeout=request_timeout) as client:
            while take():
                t0 = time.perf_counter()
                try:
                    status = client.get(url).status_code
                except httpx.TimeoutException:
                    status = -1
                except httpx.HTTPError:
                    status = 0
                out.append(((time.perf_counter() - t0) * 1000, status))
        return out

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = [r for chunk in pool.map(worker, range(concurrency)) for r in chunk]
    elapsed = time.perf_counter() - started
    p50, p95, p99 = percentiles([ms for ms, _ in results])
    return Measure(
        p50=p50,
        p95=p95,
        p99=p99,
        per_second=len(results) / elapsed if elapsed else 0.0,
        errors=sum(1 for _, status in results if status != 200),
        timeouts=sum(1 for _, status in results if status == -1),
        count=len(results),
        seconds=elapsed,
        cut_short=remaining[0] > 0,
        samples=[ms for ms, _ in results] if keep_samples else [],
    )


def time_calls(
    call: Callable[[], object], repeat: int, max_seconds: float
) -> dict[str, Any]:
    """p50/p95 of ``call`` run alone, ``repeat`` times or until ``max_seconds``
    (at least once)."""
    samples: list[float] = []
    deadline = time.monotonic() + max_seconds
    while len(samples) < repeat and (not samples or time.monotonic() < deadline):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    p50, p95, _ = percentiles(samples)
    return {"p50": p50, "p95": p95, "runs": len(samples)}
