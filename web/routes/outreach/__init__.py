""" "Aller vers" pages (/{lang}/aller-vers/…) and the indicators of the
coordination space (/{lang}/coordination/indicateurs…)."""

from fastapi import APIRouter

from web.routes.outreach import actions, indicators, locate, registrations, rights

router = APIRouter(include_in_schema=False)
# Fixed paths before /{lang}/aller-vers/{action_id}.
router.include_router(locate.router)
router.include_router(rights.router)
router.include_router(registrations.router)
router.include_router(indicators.router)
router.include_router(actions.router)
