"""ASGI middleware: security headers on every response, the request locale, and
the request-body limits."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.i18n import DEFAULT_LOCALE, LOCALES, _, use_locale


def content_security_policy(tile_url: str) -> str:
    tile_origin = ""
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        tile_origin = f" {parts.scheme}://{parts.netloc}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data:{tile_origin}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeaders:
    """No third-party origin is ever allowed, except the configured map tiles."""

    def __init__(self, app: ASGIApp, tile_url: str, hsts: bool = False) -> None:
        self.app = app
        # Served over https: browsers must never fall back to plain http
        # (a year; subdomains are the operator's to decide, not ours).
        hsts_header = [(b"strict-transport-security", b"max-age=31536000")]
        self.headers = [
            *(hsts_header if hsts else []),
            (b"content-security-policy", content_security_policy(tile_url).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(self)"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LocaleFromRequest:
    """Set the interface language for the whole request, validation included:
    the URL prefix of pages (/ar/…), else the ``lang`` query parameter (API)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with use_locale(request_locale(scope["path"], scope.get("query_string", b""))):
            await self.app(scope, receive, send)


def request_locale(path: str, query_string: bytes) -> str:
    prefix = path.strip("/").split("/", 1)[0]
    if prefix in LOCALES:
        return prefix
    for name, value in parse_qsl(query_string.decode("latin-1")):
        if name == "lang" and value in LOCALES:
            return value
    return DEFAULT_LOCALE


class ProfessionalAudience:
    """Answers shown to a signed-in professional (see
    ``web.routes.espace.session.reader_audience``, which decides it from the
    database on each request) are private: never stored by a shared cache."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Created here, so a copy of the scope further in shares the same dict.
        state = scope.setdefault("state", {})

        async def send_private(message: Message) -> None:
            if message["type"] == "http.response.start" and state.get("professional"):
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"cache-control", b"etag")
                ]
                headers.append((b"cache-control", b"private, no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_private)


class BodyLimit:
    """Refuse a request body larger than the route's limit before reading it
    (Content-Length), and stop reading once a streamed body passes it: an
    anonymous 100 MB POST costs neither memory nor parsing."""

    def __init__(
        self, app: ASGIApp, default: int, larger: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.default = default
        self.larger = larger or {}

    def limit(self, path: str) -> int:
        """A key starting with "*" matches paths ending with the rest (the
        partner space's uploads carry an organisation id)."""
        path = path.rstrip("/")
        if path in self.larger:
            return self.larger[path]
        return next(
            (
                size
                for key, size in self.larger.items()
                if key.startswith("*") and path.endswith(key[1:])
            ),
            self.default,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            with use_locale(
                request_locale(scope["path"], scope.get("query_string", b""))
            ):
                response = too_large(limit)
            await response(scope, receive, send)
            return
        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the route's body reading: FastAPI lets an
                    # HTTPException through, so the answer is this 413.
                    raise HTTPException(413, body_too_large(limit))
            return message

        await self.app(scope, capped_receive, send)


def body_too_large(limit: int) -> str:
    return _("La requête est trop grosse : %(size)s Kio au plus.") % {
        "size": limit // 1024
    }


def too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": body_too_large(limit)}, status_code=413)
