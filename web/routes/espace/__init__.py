"""The partner space (/{lang}/espace/): accounts, dashboards, listing forms,
moderation. Residents never need it."""

from fastapi import APIRouter

from web.routes.espace import (
    auth,
    change_reports,
    history,
    imports,
    listings,
    org_deletion,
    organizations,
    referrals,
    review,
    sharing,
    translations,
)

router = APIRouter(include_in_schema=False)
# Fixed paths before the listing routes, whose /{slug}/{id} would shadow them.
router.include_router(auth.router)
router.include_router(organizations.router)
router.include_router(imports.router)
router.include_router(review.router)
router.include_router(translations.router)
router.include_router(sharing.router)
router.include_router(org_deletion.router)
router.include_router(referrals.router)
router.include_router(change_reports.router)
router.include_router(history.router)
router.include_router(listings.router)
