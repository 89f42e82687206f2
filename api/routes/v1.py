"""The public JSON API, version 1."""

from fastapi import APIRouter

from api.routes import directory, falc, partner, partner_translations, services

router = APIRouter(prefix="/api/v1")
router.include_router(services.router)
router.include_router(directory.router)
router.include_router(partner.router)
router.include_router(partner_translations.router)
router.include_router(falc.router)
