"""The results page (list first, then the map) and the map's script."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from sqlmodel import select

from api.deps import SessionDep, SettingsDep
from api.models import Qpv
from api.routes.http import NowDep
from api.services.places.communes import names_in_directory
from api.services.places.directory import categories_tree
from api.services.places.territory import qpv_summaries
from api.services.search.engine import UnknownFilterValue, search
from api.services.search.filters import Sort
from api.services.search.stats import record_search
from api.vocabulary import PUBLICS, label
from web.forms import parse_filters
from web.map import map_script, qpv_feature_collection
from web.routes.common import PageLang
from web.templating import query, render
from web.themes import THEMES

router = APIRouter(include_in_schema=False)
LANGUAGES = ("ar", "en", "es", "fa", "ps", "ro", "ru", "ti", "tr", "uk")


@router.get("/{lang}/services")
def results(
    request: Request, lang: PageLang, session: SessionDep, now: NowDep
) -> HTMLResponse:
    filters, errors, values = parse_filters(request.query_params)
    try:
        page = search(session, filters, now)
    except UnknownFilterValue as error:
        errors[error.param] = str(error)
        filters = filters.model_copy(update={error.param: []})
        page = search(session, filters, now)
    if not errors:
        record_search(session, filters, page.total, lang, now.date())
    params = {k: v for k, v in values.items() if k not in ("page",)}
    api_query = query(params)
    return render(
        request,
        "search/results.html",
        lang,
        filters=filters,
        errors=errors,
        values=values,
        page=page,
        params=params,
        api_query=api_query,
        sorts=list(Sort),
        qpvs=qpv_summaries(session),
        categories=categories_tree(),
        publics={c: label(PUBLICS, c) for c in PUBLICS},
        languages=LANGUAGES,
        wider=_wider(params) if page.total == 0 else None,
        filters_open=filters_open(values, errors),
        selection=request.query_params.get("sel", ""),
        commune_names=names_in_directory(session),
        themes=THEMES,
    )


# What the "More filters" panel holds; "sort" counts only when not the default
# the form always sends (nor the distance order that "near me" picks).
PANEL_FIELDS = frozenset(
    {"category", "public", "language", "qpv", "free", "no_appointment"}
    | {"no_referral", "wheelchair", "open_now", "radius_km", "open_at"}
)


def filters_open(values: dict[str, object], errors: dict[str, str]) -> bool:
    """Open the panel only when it holds a real choice or an error to fix: on a
    phone, an open panel pushes the results below the fold."""
    chosen = PANEL_FIELDS & set(values)
    # "Near me" sorts by distance by itself: that is no choice made in the panel.
    automatic = {Sort.relevance.value} | (
        {Sort.distance.value} if "lat" in values else set()
    )
    sorted_otherwise = values.get("sort", Sort.relevance.value) not in automatic
    return bool(chosen or sorted_otherwise or (PANEL_FIELDS | {"sort"}) & set(errors))


def _wider(params: dict[str, object]) -> list[tuple[str, str]]:
    """Links that relax the search, one filter at a time, for the empty state."""
    return [
        (key, query(params, **{key: None}))
        for key in params
        if key not in ("sort", "size")
    ]


@router.get("/{lang}/map.js")
def map_js(lang: PageLang, session: SessionDep, settings: SettingsDep) -> Response:
    """Folium's script for the results map: same for every search, so cacheable."""
    qpvs = session.exec(select(Qpv).order_by(Qpv.code)).all()
    # The locale middleware already set the page language for layer names.
    script = map_script(qpv_feature_collection(list(qpvs)), settings.tile_url)
    return Response(
        script,
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )
