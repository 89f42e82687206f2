"""Error answers: translated HTML pages for people on the site, JSON for the
API. The page needs no database, so it is shown when the database is down."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match

from api.i18n import LOCALES, _, use_locale
from web.templating import render

# Paths that answer JSON (or a file) whatever the client accepts.
MACHINE_PREFIXES = ("/api/", "/openapi.json", "/static/", "/healthz", "/readyz")


def page_language(request: Request) -> str | None:
    """The page's language when a person's browser asked for a page, else None."""
    path = request.url.path
    if path.startswith(MACHINE_PREFIXES) or path == "/metrics":
        return None
    prefix = path.strip("/").split("/", 1)[0]
    if prefix in LOCALES:
        return prefix
    return "fr" if "text/html" in request.headers.get("accept", "") else None


def texts(status: int) -> tuple[str, str]:
    """Title and explanation of an error page, in the current language."""
    if status == 404:
        return _("Page introuvable"), _(
            "Cette page n'existe pas ou plus. Le service a peut-être fermé ou "
            "changé d'adresse : cherchez-le de nouveau."
        )
    if status == 403:
        return _("Accès refusé"), _("Vous n'avez pas le droit de voir cette page.")
    if status == 429:
        return _("Trop de demandes"), _(
            "Vous avez fait beaucoup de demandes en peu de temps. Attendez une "
            "minute, puis réessayez."
        )
    if status == 503:
        return _("Service momentanément indisponible"), _(
            "Le site ne peut pas lire l'annuaire pour le moment. Réessayez dans "
            "quelques minutes."
        )
    if status >= 500:
        return _("Erreur du site"), _(
            "Une erreur est survenue de notre côté. Réessayez dans quelques minutes."
        )
    return _("Demande impossible"), _("Cette demande ne peut pas être traitée.")


def error_page(
    request: Request, lang: str, status: int, headers: dict[str, str] | None = None
) -> Response:
    with use_locale(lang):  # a 500 is handled outside the locale middleware
        title, message = texts(status)
    response = render(
        request, "errors/error.html", lang, status, title=title, message=message
    )
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def malformed_path_page(
    request: Request, errors: Sequence[Mapping[str, Any]]
) -> Response | None:
    """One rule for every page route: a path that names nothing in the right
    shape (``/fr/services/not-a-uuid``) is the 404 page in the reader's
    language, not a JSON 422. Page routes are those under a language
    (``/{lang}/…``); the JSON API, exports and feeds keep their 422 with field
    paths, and so do a page's query and form errors."""
    lang = request.url.path.strip("/").split("/", 1)[0]
    if lang not in LOCALES:
        return None
    if not any(tuple(error.get("loc", ()))[:1] == ("path",) for error in errors):
        return None
    return error_page(request, lang, 404)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> str:
    """Every method the path answers (Starlette names only the first route's):
    each one tried against the app's routes."""
    allowed = [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.router.routes
        )
    ]
    return ", ".join(allowed)


def add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
        lang = page_language(request)
        if lang is None:
            exc.headers = headers
            return await http_exception_handler(request, exc)
        return error_page(request, lang, exc.status_code, headers)

    @app.exception_handler(DBAPIError)
    async def database_down(request: Request, exc: DBAPIError) -> Response:
        # A connection that cannot be made is an outage, not a bug: 503.
        unreachable = isinstance(exc, OperationalError | InterfaceError)
        status = 503 if exc.connection_invalidated or unreachable else 500
        lang = page_language(request)
        if lang is None:
            return JSONResponse({"detail": texts(status)[1]}, status)
        return error_page(request, lang, status, {"Retry-After": "60"})

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        lang = page_language(request)
        if lang is None:
            return JSONResponse({"detail": texts(500)[1]}, 500)
        return error_page(request, lang, 500)
