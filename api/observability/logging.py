"""Structured logs: one JSON object per line, each carrying the request id.

Every line of the app and of the libraries it uses (standard ``logging``) goes
through the same renderer. No client address is ever logged, and no query
string (what residents search for) unless REPERES_LOG_QUERY_STRING is set.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import TextIO

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import Settings

REQUEST_ID_HEADER = b"x-request-id"
# An id from the reverse proxy is kept so both logs can be joined; anything
# else (too long, odd characters that could forge log lines) is replaced.
_GOOD_ID = re.compile(rb"[A-Za-z0-9._-]{8,128}")
_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.format_exc_info,
]
# Uvicorn's own loggers print through their own handlers: sent to ours instead.
_SERVER_LOGGERS = ("uvicorn", "uvicorn.error")
# Except its access log: each line carries the client's address and port, which
# residents' privacy forbids keeping (RequestLog logs each request without it).
# Uvicorn writes it whenever the logger has a handler, its own or through
# propagation to ours, so it must stay without either.
_ACCESS_LOGGER = "uvicorn.access"
# httpx logs every URL it fetches at INFO: the geocoder's carry addresses, the
# machine translator's the text itself.
_QUIETER = ("httpx", "httpcore")

log = structlog.get_logger("reperes.request")


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installed, to replace it, not stack it."""


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    renderer = (
        structlog.processors.JSONRenderer()
        if settings.log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    handler = _OurHandler(stream or sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=_SHARED,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in _SERVER_LOGGERS:
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    access = logging.getLogger(_ACCESS_LOGGER)
    access.handlers.clear()
    access.propagate = False
    for name in _QUIETER:
        logging.getLogger(name).setLevel(logging.WARNING)


def request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER and _GOOD_ID.fullmatch(value):
            return value.decode()
    return uuid.uuid4().hex


class RequestLog:
    """Gives each request an id (logged with every line it causes, and sent
    back in ``X-Request-ID``) and logs one line when it is answered."""

    def __init__(self, app: ASGIApp, log_query_string: bool = False) -> None:
        self.app = app
        self.log_query_string = log_query_string

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER, rid.encode()),
                ]
            await send(message)

        fields = {"method": scope["method"], "path": scope["path"]}
        if self.log_query_string and scope.get("query_string"):
            fields["query"] = scope["query_string"].decode("latin-1")
        with structlog.contextvars.bound_contextvars(request_id=rid):
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                log.exception("request failed", **fields, status=500)
                raise
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            log.info("request", **fields, status=status, duration_ms=duration_ms)
