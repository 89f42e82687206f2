"""A service's page (and its calendar file), a place's and an organisation's."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.routes.http import NowDep
from api.services.places import directory
from api.services.schedules.calendar import permanence_calendar
from api.services.search.detail import place_closure, service_detail
from api.services.search.listing import load_listings, place_ref
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
    listing = load_listings(session, [service_id]).get(service_id)
    found = [
        (p, place)
        for p, place in (listing.permanences if listing else [])
        if p.id == permanence_id
    ]
    if (
        listing is None
        or not is_listed(listing.service, listing.organization)
        or not found
    ):
        raise HTTPException(status_code=404)
    permanence, place = found[0]
    location = ""
    if place is not None:
        public = place_ref(place)  # a confidential place gives no address
        location = ", ".join(
            x for x in (public.name, public.address, public.commune) if x
        )
    url = str(request.url_for("service_page", lang=lang, service_id=service_id))
    body = permanence_calendar(
        str(permanence_id),
        listing.service.name,
        location,
        url,
        listing.schedule_of(permanence),
        listing.periods_for(permanence.place_id),
        now,
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{permanence_id}.ics"'},
    )


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
