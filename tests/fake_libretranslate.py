"""A tiny real HTTP server on 127.0.0.1 that answers like LibreTranslate's
POST /translate, for the machine-translation tests (no mock of our code)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class _Handler(BaseHTTPRequestHandler):
    server: FakeServer

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append({"path": self.path, **body})
        if self.path != "/translate" or self.server.fail:
            self._answer(500, {"error": "translation failed"})
            return
        texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
        out = [f"[{body['target']}] {text}" for text in texts]
        self._answer(
            200, {"translatedText": out if isinstance(body["q"], list) else out[0]}
        )

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FakeServer(ThreadingHTTPServer):
    requests: list[dict[str, Any]]
    fail: bool


class FakeLibreTranslate:
    """``with FakeLibreTranslate() as fake:`` serves at ``fake.url``; every
    request body lands in ``fake.requests``; ``fail=True`` answers 500."""

    def __init__(self, fail: bool = False) -> None:
        self.server = FakeServer(("127.0.0.1", 0), _Handler)
        self.server.requests = []
        self.server.fail = fail
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[dict[str, Any]]:
        return self.server.requests

    def __enter__(self) -> FakeLibreTranslate:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
