"""A real server in its own process, for the tests that need one (browser
tests, proxies): started on a free port, waited for, stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def uvicorn(port: int) -> list[str]:
    """The app alone under uvicorn, quiet."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "api.main:app",
        "--port",
        str(port),
        "--no-access-log",
    ]


@contextmanager
def live_server(
    command: list[str],
    port: int,
    env: Mapping[str, str | None],
    *,
    cwd: Path | None = None,
    attempts: int = 100,
    name: str = "the server",
    stderr: IO[bytes] | None = None,
) -> Iterator[str]:
    """Run ``command`` with these environment changes (None removes a
    variable; the tests' DATABASE_URL is never passed on) until it answers
    /healthz; yields its base URL."""
    environment = {**os.environ}
    environment.pop("DATABASE_URL", None)
    for key, value in env.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    server = subprocess.Popen(command, env=environment, cwd=cwd, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(attempts):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail(f"{name} did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
