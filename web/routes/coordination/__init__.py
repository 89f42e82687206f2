"""The coordinators' space (/{lang}/coordination/): coverage, freshness,
non-recours signals, quality, synonyms — each scoped to the coordinator's
territory. Other pages of the space (structures, reports, outreach…) add
their routers here."""

from fastapi import APIRouter

from web.routes.coordination import (
    coverage,
    freshness,
    home,
    quality,
    signals,
    synonyms,
)

router = APIRouter(include_in_schema=False)
router.include_router(home.router)
router.include_router(coverage.router)
router.include_router(freshness.router)
router.include_router(signals.router)
router.include_router(synonyms.router)
router.include_router(quality.router)
