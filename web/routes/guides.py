"""Printed material for social workers: a QPV guide and a referral sheet."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from segno import DataOverflowError, make

from api.deps import SessionDep
from api.i18n import gettext, use_locale
from api.routes.http import NowDep
from api.services.places.directory import categories_tree, qpv_detail
from api.services.printouts import selection as sheet
from api.services.printouts.guides import qpv_guide, referral_sheet, theme_rank
from api.vocabulary import CATEGORIES, label
from web.routes.common import PageLang
from web.routes.listings import share_links
from web.templating import render

router = APIRouter(include_in_schema=False)


def fitting_qr(url: str) -> Markup | None:
    """A QR code that scales to its box (viewBox, no fixed size); None when the
    URL is too long for one (a sheet of many services with a long note)."""
    try:
        code = make(url, error="m")
    except DataOverflowError:
        return None
    svg = code.svg_inline(scale=1, dark="#000", light="#fff", omitsize=True)
    return Markup(svg)  # noqa: S704 - segno's own SVG


def sheet_title(lang: str) -> str:
    with use_locale(lang):
        return gettext("Services sélectionnés pour vous")


@router.get("/{lang}/qpv/{code}")
def qpv_guide_page(
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
    base = str(request.base_url).rstrip("/")
    return render(
        request,
        "guides/qpv.html",
        lang,
        qpv=qpv,
        guide=qpv_guide(session, qpv.code, theme, now),
        theme=theme,
        base=base,
        categories=sorted(categories_tree(), key=lambda c: theme_rank(c.code)),
        category_label=lambda c: label(CATEGORIES, c),
        qr=fitting_qr,
        now=now,
    )


@router.get("/{lang}/selection")
def selection(
    request: Request, lang: PageLang, session: SessionDep, now: NowDep
) -> Response:
    """The social worker's referral sheet: kept in the URL, no account, no cookie."""
    params = request.query_params
    state = sheet.parse(params, params.getlist("remove"))
    path = str(request.url_for("selection", lang=lang))
    if state.edited and state.bad_date is None:
        # The form's raw fields (empty choices, button names) become the clean,
        # shareable URL.
        target = f"{path}?{state.query(editing=state.editing)}"
        return RedirectResponse(target, status_code=303)
    entries, unknown = referral_sheet(session, state, now)
    url = f"{path}?{state.query()}" if state.ids else path
    edit_url = f"{path}?{state.query(editing=True)}"
    return render(
        request,
        "guides/selection.html",
        lang,
        state=state,
        entries=entries,
        unknown=unknown,
        note_max=sheet.NOTE_MAX,
        max_selection=sheet.MAX_SELECTION,
        base=str(request.base_url).rstrip("/"),
        url=url,
        edit_url=edit_url,
        now=now,
        share=share_links(url, sheet_title(lang)),
        qr=fitting_qr,
    )
