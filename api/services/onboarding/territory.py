"""Which requests and organisations a coordinator's territory covers.

A request belongs to the commune the structure named; a territory covers its
communes and the communes of its QPVs. An organisation is in a territory when
it has a place there or was created or approved there through onboarding (a
new organisation has no place yet): ``coordination.scopes`` holds that rule.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, false, true
from sqlmodel import Session, col

from api.models import OrganizationRequest, RequestKind
from api.services.accounts.access import Principal
from api.services.coordination.scopes import territory_communes


def communes_of(session: Session, principal: Principal) -> set[str]:
    """INSEE codes of the principal's territories (their QPVs' communes too)."""
    return territory_communes(session, principal.territories)


def requests_condition(session: Session, principal: Principal) -> ColumnElement[bool]:
    """SQL: the requests this coordinator decides (all for the superadmin)."""
    if principal.is_superadmin:
        return true()
    communes = communes_of(session, principal)
    organizations = principal.coordinated
    if not communes and not organizations:
        return false()
    return col(OrganizationRequest.insee_code).in_(communes) | (
        (col(OrganizationRequest.kind) == RequestKind.claim)
        & col(OrganizationRequest.organization_id).in_(organizations)
    )


def covers_request(
    session: Session, principal: Principal, request: OrganizationRequest
) -> bool:
    if principal.is_superadmin:
        return True
    if request.insee_code in communes_of(session, principal):
        return True
    return (
        request.kind == RequestKind.claim
        and request.organization_id in principal.coordinated
    )


def organization_ids(session: Session, principal: Principal) -> set[uuid.UUID]:
    """Organisations of the territory: with a place there, or onboarded there
    (one rule: ``coordination.scopes.coordinated_ids``)."""
    return set(principal.coordinated)


def covers_organization(
    session: Session, principal: Principal, organization_id: uuid.UUID
) -> bool:
    return principal.is_superadmin or organization_id in organization_ids(
        session, principal
    )
