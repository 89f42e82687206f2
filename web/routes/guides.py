"""Printed material for social workers: a QPV guide and a referral sheet."""

from __future__ import annotations

import uuid
from collections import defaultdict

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.models.public import ServiceDetail, ServiceHit
from api.routes.http import NowDep
from api.services.directory import categories_tree, qpv_detail
from api.services.search.detail import service_detail
from api.services.search.engine import all_matches
from api.services.search.filters import SearchFilters, Sort
from api.vocabulary import CATEGORIES, category_of, label
from web.routes.common import PageLang
from web.templating import render

router = APIRouter(include_in_schema=False)
MAX_SELECTION = 30


def by_category(hits: list[ServiceHit]) -> list[tuple[str, list[ServiceHit]]]:
    """Each service once, under the category of its first theme, categories in
    the reference order."""
    groups: dict[str, list[ServiceHit]] = defaultdict(list)
    for hit in hits:
        code = category_of(hit.categories[0].code) if hit.categories else ""
        groups[code].append(hit)
    order = [*CATEGORIES, ""]
    return [(code, groups[code]) for code in order if groups.get(code)]


@router.get("/{lang}/qpv/{code}")
def qpv_guide(
    request: Request,
    lang: PageLang,
    code: str,
    session: SessionDep,
    now: NowDep,
    theme: str | None = Query(None, max_length=80),
) -> HTMLResponse:
    qpv = qpv_detail(session, code)
    if qpv is None:
        raise HTTPException(status_code=404)
    if theme and theme not in CATEGORIES:
        theme = None  # an unknown theme shows the whole guide, not an error page
    filters = SearchFilters(
        qpv=[qpv.code], category=[theme] if theme else [], sort=Sort.name
    )
    hits = all_matches(session, filters, now)
    base = str(request.base_url).rstrip("/")
    return render(
        request,
        "guides/qpv.html",
        lang,
        qpv=qpv,
        groups=by_category(hits),
        theme=theme,
        base=base,
        categories=categories_tree(),
        category_label=lambda c: label(CATEGORIES, c),
        now=now,
    )


@router.get("/{lang}/selection")
def selection(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    now: NowDep,
    ids: str = Query("", max_length=MAX_SELECTION * 37),
) -> HTMLResponse:
    """The social worker's referral sheet: kept in the URL, no account, no cookie."""
    chosen: list[ServiceDetail] = []
    for raw in dict.fromkeys(part.strip() for part in ids.split(",") if part.strip()):
        try:
            service_id = uuid.UUID(raw)
        except ValueError:
            continue  # a damaged link still shows what it can
        detail = service_detail(session, service_id, now)
        if detail is not None:
            chosen.append(detail)
    base = str(request.base_url).rstrip("/")
    return render(
        request,
        "guides/selection.html",
        lang,
        services=chosen[:MAX_SELECTION],
        base=base,
        ids=ids,
    )
