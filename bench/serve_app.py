"""Serve any ASGI app as ``reperes serve`` serves ours (its socket, its
worker processes), for the bench's bare-endpoint floor:

    python -m bench.serve_app bench.bare_app:app 127.0.0.1 8001 2
"""

from __future__ import annotations

import sys

import uvicorn
from uvicorn.supervisors import Multiprocess

from api.cli import listening_socket


def main(app: str, host: str, port: int, workers: int) -> None:
    options = {"access_log": False, "log_level": "warning"}
    if workers == 1:
        uvicorn.run(app, host=host, port=port, **options)  # type: ignore[arg-type]
        return
    config = uvicorn.Config(
        app, workers=workers, timeout_worker_healthcheck=60, **options
    )  # type: ignore[arg-type]
    Multiprocess(config, sockets=[listening_socket(host, port)]).run()


if __name__ == "__main__":  # spawned workers import this module too
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
