"""The one FastAPI application: JSON API, health check and web pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import api.services.qpv  # noqa: F401  (registers the write-time QPV assignment)
from api.routes import health
from api.security import SecurityHeaders
from api.settings import get_settings
from web.routes import pages
from web.templating import STATIC_DIR


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Repères API",
        version="0.1.0",
        description="Shared directory of social services in France's priority "
        "neighbourhoods (QPV). Public data: read it freely.",
    )
    app.add_middleware(SecurityHeaders, tile_url=settings.tile_url)
    app.include_router(health.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    return app


app = create_app()
