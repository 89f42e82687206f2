"""The one FastAPI application: JSON API, health check and web pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from api import db
from api.i18n import _
from api.middleware import (
    BodyLimit,
    LocaleFromRequest,
    ProfessionalAudience,
    SecurityHeaders,
)
from api.observability.logging import RequestLog, configure_logging
from api.observability.metrics import add_metrics
from api.routes import exports, feeds, health, hsds, v1
from api.routes.http import declare_required_if_match, refuse_hostile_input
from api.services.imports.reading import UPLOAD_MAX_BYTES
from api.services.listings.revisions import StaleVersion
from api.services.partner.editing import changed_since
from api.services.search import stats
from api.services.system import collector
from api.settings import get_settings
from api.validation import translated
from web.assets import STATIC_DIR, VersionedStaticFiles
from web.errors import add_error_pages, malformed_path_page
from web.routes import change_reports as change_report_pages
from web.routes import coordination, espace, guides, listings, onboarding, pages, search
from web.routes import outreach as outreach_pages
from web.routes.coordination import organizations as coordination_organizations
from web.routes.espace.common import EspaceError, conflict_message
from web.routes.espace.common import page as espace_page
from web.routes.espace.session import (
    CHANGE_PASSWORD_PATH,
    COOKIE,
    CsrfFailed,
    PasswordChangeRequired,
    SignInRequired,
    reader_audience,
)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    if get_settings().gc_freeze:
        collector.settle()
    yield
    stats.flush_all()  # search counts still waiting in this process


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings)
    app = FastAPI(
        title="Repères API",
        version="0.1.0",
        description="Shared directory of social services in France's priority "
        "neighbourhoods (QPV). Public data: read it freely.",
        # The default pages load Swagger UI from a CDN: web/routes/pages.py
        # serves a self-hosted one at /docs instead.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # The input policy on path and query values first (before any query);
        # then who may see listings reserved to professionals, from the database.
        dependencies=[Depends(refuse_hostile_input), Depends(reader_audience)],
    )
    app.add_middleware(LocaleFromRequest)
    app.add_middleware(ProfessionalAudience)  # inside the session middleware
    # Partner space only: the cookie is set by signing in, never for residents.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=COOKIE,
        # The server-side session ends first (idle time); this only tidies up.
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.base_url.startswith("https://"),
    )
    # Residents are on cheap phones and metered data: compress what is large.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=4)
    app.add_middleware(
        SecurityHeaders,
        tile_url=settings.tile_url,
        hsts=settings.base_url.startswith("https://"),
    )
    app.add_middleware(
        BodyLimit,
        default=settings.max_body_kib * 1024,
        larger={
            "/api/v1/partner/bulk": settings.max_bulk_body_mib * 1024 * 1024,
            # A partner's spreadsheet, and the form fields around it.
            "*/import": UPLOAD_MAX_BYTES + 64 * 1024,
        },
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET"],
        expose_headers=["ETag"],
    )
    if settings.metrics_enabled:
        add_metrics(app, db.get_engine)
    # Outermost: its request id is on every log line, even a middleware's.
    app.add_middleware(RequestLog, log_query_string=settings.log_query_string)
    app.include_router(health.router)
    app.include_router(v1.router)
    app.include_router(exports.router)
    app.include_router(hsds.router)
    app.include_router(feeds.router)
    app.mount("/static", VersionedStaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(search.router)
    app.include_router(listings.router)
    app.include_router(change_report_pages.router)
    app.include_router(guides.router)
    # Onboarding first: its /espace/structures/{id}/demandes/{id} would be
    # shadowed by the partner space's listing routes.
    app.include_router(onboarding.router)
    app.include_router(coordination_organizations.router)
    app.include_router(espace.router)
    app.include_router(coordination.router)
    app.include_router(outreach_pages.router)
    # Last: its /{lang}/{slug} pattern would shadow the pages above.
    app.include_router(pages.router)
    add_error_handlers(app)
    add_error_pages(app)
    declare_required_if_match(app)
    return app


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def translated_422(request: Request, exc: RequestValidationError) -> Response:
        """FastAPI's 422 shape, with messages in the request's language (a
        page's malformed path is its 404 page instead)."""
        errors = list(exc.errors())
        page = malformed_path_page(request, errors)
        if page is not None:
            return page
        return JSONResponse({"detail": translated(errors)}, 422)

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(
            f"/{exc.lang}/espace/connexion?suite={exc.next_path}", status_code=303
        )

    @app.exception_handler(PasswordChangeRequired)
    async def to_password_change(
        request: Request, exc: PasswordChangeRequired
    ) -> Response:
        target = CHANGE_PASSWORD_PATH.format(lang=exc.lang)
        return RedirectResponse(f"{target}?suite={exc.next_path}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        return espace_page(
            request,
            "espace/error.html",
            exc.lang,
            status=403,
            message=_(
                "Ce formulaire a expiré. Revenez en arrière, rechargez la "
                "page et envoyez-le de nouveau."
            ),
        )

    @app.exception_handler(StaleVersion)
    async def stale_version(request: Request, exc: StaleVersion) -> Response:
        """Another writer saved the same version first; nothing was written."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": changed_since(exc.version).detail}, 412)
        lang = request.path_params.get("lang", "fr")
        return espace_page(
            request, "espace/error.html", lang, status=409, message=conflict_message()
        )

    @app.exception_handler(EspaceError)
    async def espace_error(request: Request, exc: EspaceError) -> Response:
        lang = request.path_params.get("lang", "fr")
        return espace_page(
            request, "espace/error.html", lang, status=exc.status, message=exc.message
        )


app = create_app()
