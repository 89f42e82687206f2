"""``reperes serve`` with several processes: its own listening socket, so
keep-alive answers are not held back ~40 ms by a delayed ACK."""

from __future__ import annotations

import socket

from api.cli import default_workers, listening_socket


def test_connections_accepted_by_the_serve_socket_send_without_delay() -> None:
    server = listening_socket("127.0.0.1", 0)
    try:
        assert server.proto == socket.IPPROTO_TCP  # asyncio sets NODELAY then
        server.listen(1)
        client = socket.create_connection(server.getsockname(), timeout=5)
        accepted, _ = server.accept()
        nodelay = accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert nodelay != 0
        accepted.close()
        client.close()
    finally:
        server.close()


def test_one_process_per_core_by_default() -> None:
    assert default_workers() >= 1
