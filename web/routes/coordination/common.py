"""What the coordinators' space (/{lang}/coordination/) shares: who may open
it, and how its pages are rendered.

A coordinator is a user with at least one territory (CoordinatorScope rows:
communes and QPVs); the superadmin sees every territory. Signed out: a
redirect to sign-in; signed in without a territory: 403.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.i18n import _
from api.services.accounts.access import Principal
from web.routes.espace.common import EspaceError, page
from web.routes.espace.session import current_principal

T = TypeVar("T")


def current_coordinator(request: Request, session: SessionDep) -> Principal:
    """The signed-in coordinator (or superadmin); sign-in or 403 otherwise."""
    principal = current_principal(request, session)
    if not principal.is_coordinator:
        raise EspaceError(
            403, _("Cet espace est réservé à la coordination des territoires.")
        )
    return principal


CoordinatorDep = Annotated[Principal, Depends(current_coordinator)]


def coordination_page(
    request: Request,
    template: str,
    lang: str,
    principal: Principal,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A coordination page: private, never cached, with the form token."""
    return page(request, template, lang, principal, status=status, **context)


@dataclass
class Paged(Generic[T]):
    """One page of a list computed in full (a territory's rows)."""

    items: list[T]
    page: int
    pages: int
    total: int


def paged(items: list[T], page: int, size: int) -> Paged[T]:
    pages = max(1, math.ceil(len(items) / size))
    page = min(max(page, 1), pages)
    return Paged(items[(page - 1) * size : page * size], page, pages, len(items))


def page_number(value: str | None) -> int:
    """?page=: a positive number, else the first page (never an error)."""
    return int(value) if value and value.isdigit() and len(value) < 6 else 1
