"""The one FastAPI application: JSON API, health check and web pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from api.middleware import LocaleFromRequest, SecurityHeaders
from api.routes import health, v1
from api.settings import get_settings
from web.routes import guides, listings, pages, search
from web.templating import STATIC_DIR


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Repères API",
        version="0.1.0",
        description="Shared directory of social services in France's priority "
        "neighbourhoods (QPV). Public data: read it freely.",
        # The default pages load Swagger UI from a CDN: web/routes/pages.py
        # serves a self-hosted one at /docs instead.
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(LocaleFromRequest)
    # Residents are on cheap phones and metered data: compress what is large.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(SecurityHeaders, tile_url=settings.tile_url)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET"],
        expose_headers=["ETag"],
    )
    app.include_router(health.router)
    app.include_router(v1.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(search.router)
    app.include_router(listings.router)
    app.include_router(guides.router)
    # Last: its /{lang}/{slug} pattern would shadow the pages above.
    app.include_router(pages.router)
    return app


app = create_app()
