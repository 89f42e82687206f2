"""/{lang}/coordination/indicateurs: the fiche 4.1.3 indicators of the
coordinator's territory (or one of its QPVs) for a period, as a page with
charts and tables, as CSV (two flavours) and as a one-page report per QPV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.i18n import RTL_LOCALES, _
from api.models import Qpv
from api.services.accounts.access import Principal
from api.services.outreach import indicators, periods, scope
from api.services.outreach.charts import bar_chart
from api.services.outreach.exports import to_csv
from api.services.outreach.indicators import Report
from web.routes.common import PageLang
from web.routes.coordination.common import CoordinatorDep
from web.routes.espace.common import EspaceError, page

router = APIRouter(include_in_schema=False)

# Any text: what names no period or QPV of the territory is a 404 page.
PeriodQuery = Annotated[str | None, Query(alias="periode")]
QpvQuery = Annotated[str | None, Query(alias="qpv")]


def _report(
    session: Session,
    principal: Principal,
    lang: str,
    period_code: str | None,
    qpv_code: str | None,
) -> Report:
    period = periods.parse(period_code)
    if period is None:
        raise EspaceError(404, _("Cette période n'existe pas."))
    qpv: Qpv | None = None
    if qpv_code:
        qpv = indicators.qpv_in_scope(session, principal, qpv_code)
        if qpv is None:
            raise EspaceError(404, _("Ce quartier n'est pas sur votre territoire."))
    return indicators.build(session, principal, period, lang, qpv)


def _charts(report: Report, lang: str) -> dict[str, object]:
    rtl = lang in RTL_LOCALES
    return {
        table.key: bar_chart(table, f"chart-{table.key}", rtl)
        for table in report.tables
    }


@router.get("/{lang}/coordination/indicateurs")
def indicators_page(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    principal: CoordinatorDep,
    periode: PeriodQuery = None,
    qpv: QpvQuery = None,
) -> HTMLResponse:
    report = _report(session, principal, lang, periode, qpv)
    return page(
        request,
        "outreach/indicators.html",
        lang,
        principal,
        report=report,
        charts=_charts(report, lang),
        period_choices=periods.choices(),
        qpvs=scope.qpv_choices(session, principal)
        if principal.is_superadmin
        else _territory(session, principal),
    )


def _territory(session: Session, principal: Principal) -> list[Qpv]:
    codes = scope.territory_qpvs(session, principal) or set()
    return sorted(
        (q for q in (session.get(Qpv, c) for c in codes) if q is not None),
        key=lambda q: q.name,
    )


def _csv(
    session: Session,
    principal: Principal,
    lang: str,
    periode: str | None,
    qpv: str | None,
    spreadsheet: bool,
) -> Response:
    report = _report(session, principal, lang, periode, qpv)
    name = f"indicateurs-{report.period.code}{'-' + qpv if qpv else ''}"
    suffix = "-tableur" if spreadsheet else ""
    return Response(
        to_csv(report, lang, spreadsheet),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}{suffix}.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/{lang}/coordination/indicateurs.csv")
def indicators_csv(
    lang: PageLang,
    session: SessionDep,
    principal: CoordinatorDep,
    periode: PeriodQuery = None,
    qpv: QpvQuery = None,
) -> Response:
    return _csv(session, principal, lang, periode, qpv, spreadsheet=False)


@router.get("/{lang}/coordination/indicateurs-tableur.csv")
def indicators_spreadsheet(
    lang: PageLang,
    session: SessionDep,
    principal: CoordinatorDep,
    periode: PeriodQuery = None,
    qpv: QpvQuery = None,
) -> Response:
    """Semicolons and a byte-order mark: opens as is in LibreOffice / Excel."""
    return _csv(session, principal, lang, periode, qpv, spreadsheet=True)


@router.get("/{lang}/coordination/indicateurs/{qpv_code}/rapport")
def qpv_report(
    request: Request,
    lang: PageLang,
    qpv_code: str,
    session: SessionDep,
    principal: CoordinatorDep,
    periode: PeriodQuery = None,
) -> HTMLResponse:
    report = _report(session, principal, lang, periode, qpv_code)
    return page(
        request,
        "outreach/report.html",
        lang,
        principal,
        report=report,
        charts=_charts(report, lang),
    )
