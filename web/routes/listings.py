"""A service's page (and its calendar file), a place's and an organisation's."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api.deps import SessionDep
from api.routes.http import NowDep
from api.services.exports.service_calendar import (
    permanence_file_events,
    service_calendar,
)
from api.services.places import directory
from api.services.schedules.calendar import calendar
from api.services.search.detail import place_closure, service_detail
from api.services.search.listing import Listing, load_listings
from api.services.search.sql import is_listed
from web.routes.common import PageLang
from web.templating import render

router = APIRouter(include_in_schema=False)


def share_links(url: str, text: str) -> dict[str, str]:
    """Plain links: no third-party script is loaded, nothing is sent until clicked."""
    message = f"{text} {url}"
    return {
        "sms": f"sms:?&body={quote(message)}",
        "whatsapp": f"https://wa.me/?text={quote(message)}",
        "email": f"mailto:?subject={quote(text)}&body={quote(message)}",
    }


def _listed(session: Session, service_id: uuid.UUID) -> Listing:
    """The service's listing when residents may see it, else a 404."""
    listing = load_listings(session, [service_id]).get(service_id)
    if listing is None or not is_listed(listing.service, listing.organization):
        raise HTTPException(status_code=404)
    return listing


def _ics(body: str, name: uuid.UUID) -> Response:
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.ics"'},
    )


# Before the page's route: « {service_id} » would also match « ….ics ».
@router.get("/{lang}/services/{service_id}.ics")
def service_ics(
    request: Request,
    lang: PageLang,
    service_id: uuid.UUID,
    session: SessionDep,
    now: NowDep,
) -> Response:
    """Every permanence of the service in one calendar (the same events as
    each permanence's own file)."""
    listing = _listed(session, service_id)
    url = str(request.url_for("service_page", lang=lang, service_id=service_id))
    return _ics(service_calendar(listing, url, now), service_id)


@router.get("/{lang}/services/{service_id}")
def service_page(
    request: Request,
    lang: PageLang,
    service_id: uuid.UUID,
    session: SessionDep,
    now: NowDep,
) -> HTMLResponse:
    service = service_detail(session, service_id, now)
    if service is None:
        raise HTTPException(status_code=404)
    url = str(request.url_for("service_page", lang=lang, service_id=service_id))
    return render(
        request,
        "listings/service.html",
        lang,
        service=service,
        url=url,
        share=share_links(url, service.name),
        now=now,
    )


@router.get("/{lang}/services/{service_id}/permanences/{permanence_id}.ics")
def permanence_ics(
    request: Request,
    lang: PageLang,
    service_id: uuid.UUID,
    permanence_id: uuid.UUID,
    session: SessionDep,
    now: NowDep,
) -> Response:
    listing = _listed(session, service_id)
    found = [(p, place) for p, place in listing.permanences if p.id == permanence_id]
    if not found:
        raise HTTPException(status_code=404)
    url = str(request.url_for("service_page", lang=lang, service_id=service_id))
    events = permanence_file_events(listing, *found[0], url, now)
    return _ics(calendar(events), permanence_id)


@router.get("/{lang}/lieux/{place_id}")
def place_page(
    request: Request,
    lang: PageLang,
    place_id: uuid.UUID,
    session: SessionDep,
    now: NowDep,
) -> HTMLResponse:
    place = directory.place_detail(session, place_id)
    if place is None:
        raise HTTPException(status_code=404)
    closure = place_closure(session, place_id, now)
    return render(request, "listings/place.html", lang, place=place, closure=closure)


@router.get("/{lang}/structures/{org_id}")
def organization_page(
    request: Request, lang: PageLang, org_id: uuid.UUID, session: SessionDep
) -> HTMLResponse:
    organization = directory.organization_detail(session, org_id)
    if organization is None:
        raise HTTPException(status_code=404)
    return render(
        request, "listings/organization.html", lang, organization=organization
    )
