"""The current search as CSV, and a subscribable calendar per QPV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import SessionDep
from api.routes.http import (
    INVALID,
    NOT_FOUND,
    LangDep,
    NowDep,
    not_found,
    unprocessable,
)
from api.routes.services import FiltersDep
from api.services.exports import search_csv
from api.services.exports.licence import current
from api.services.schedules.calendar_feeds import qpv_calendar
from api.services.search.engine import UnknownFilterValue
from api.settings import get_settings

router = APIRouter(tags=["exports"])
CSV = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **INVALID}
ICS = {200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}}


@router.get(
    "/exports/services.csv",
    response_class=Response,
    responses=CSV,
    summary="The current search as a spreadsheet",
)
def search_as_csv(
    filters: FiltersDep, session: SessionDep, lang: LangDep, now: NowDep
) -> Response:
    """The same filters as `/api/v1/services`, every match (up to 1,000): a
    header row in `lang`, then one row per service; never a listing reserved
    to professionals. The licence is in the `Link` header and the last row."""
    try:
        items = list(search_csv.hits(session, filters, now))
    except UnknownFilterValue as error:
        raise unprocessable(error.param, str(error)) from error
    body = search_csv.csv_text(iter(items), get_settings().base_url, lang, current())
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="services.csv"',
            "Link": current().link_header,
        },
    )


@router.get(
    "/qpv/{code}.ics",
    response_class=Response,
    responses={**ICS, **NOT_FOUND},
    summary="Sessions in or near a QPV, as a calendar to subscribe to",
)
def qpv_feed(
    request: Request,
    code: str,
    session: SessionDep,
    lang: LangDep,
    now: NowDep,
    theme: Annotated[
        str | None, Query(max_length=120, description="A theme or category code.")
    ] = None,
) -> Response:
    """Every session of the next six months of the services anyone may see,
    held in or near the QPV: stable UIDs, so a subscribed calendar updates."""
    body = qpv_calendar(session, code, theme, get_settings().base_url, lang, now)
    if body is None:
        raise not_found()
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Link": current().link_header, "Cache-Control": "public, max-age=900"},
    )
