"""The indicators page as CSV: the same cells as the page, in the same order.

Two flavours: plain CSV (comma, UTF-8) and a spreadsheet-friendly one for
LibreOffice / Excel in French (semicolon, UTF-8 with a byte-order mark, so
accents open right without an import dialog)."""

from __future__ import annotations

import csv
import io

from api.i18n import gettext, use_locale
from api.services.outreach.indicators import Report


def rows(report: Report, locale: str) -> list[list[str]]:
    """Header, one line per indicator, then the per-QPV table."""
    with use_locale(locale):
        period = report.period.label(locale)
        previous = report.previous.label(locale)
        lines = [
            [
                gettext("Niveau"),
                gettext("Tableau"),
                gettext("Indicateur"),
                period,
                previous,
                gettext("Évolution"),
            ]
        ]
        for table in report.tables:
            for row in table.rows:
                lines.append(
                    [
                        table.level,
                        table.title,
                        row.label,
                        row.shown,
                        row.shown_before,
                        row.trend,
                    ]
                )
        if report.qpv_rows:
            lines.append([])
            lines.append([gettext("Quartier"), gettext("Code"), *report.qpv_columns])
            for qpv in report.qpv_rows:
                lines.append([qpv.name, qpv.code, *qpv.cells])
    return lines


def to_csv(report: Report, locale: str, spreadsheet: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=";" if spreadsheet else ",", lineterminator="\r\n"
    )
    writer.writerows(rows(report, locale))
    text = buffer.getvalue()
    return (("\ufeff" + text) if spreadsheet else text).encode("utf-8")
