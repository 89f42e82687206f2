"""The current search as a spreadsheet: one row per service found, the header
in the request's language, cells a spreadsheet would run neutralised."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime

from sqlmodel import Session, col, select

from api.i18n import _
from api.models import Service, Visibility
from api.models.public import ServiceHit
from api.services.exports.licence import Licence
from api.services.search.engine import search
from api.services.search.filters import MAX_PAGE_SIZE, SearchFilters

MAX_ROWS = 1000  # what the search counts up to
_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?[\d\s.()]+$")


def neutral(value: object) -> str:
    """A cell shown as typed: a leading =, +, - or @ (not a plain number or
    phone number) gets a quote, so no spreadsheet runs it as a formula."""
    text = "" if value is None else str(value)
    if _FORMULA.match(text) and not _NUMBER.match(text):
        return "'" + text
    return text


def header() -> list[str]:
    return [
        _("Service"), _("Structure"), _("Thèmes"), _("Téléphone"), _("Commune"),
        _("Adresse"), _("Prochaine permanence"), _("Horaires"), _("Lien"),
    ]  # fmt: skip


def _row(hit: ServiceHit, base_url: str, lang: str) -> list[str]:
    session = hit.next_session
    return [
        hit.name,
        hit.organization.name,
        ", ".join(c.label for c in hit.categories),
        hit.phone or "",
        hit.town or "",
        hit.address or "",
        session.start.strftime("%Y-%m-%d %H:%M") if session else "",
        " ; ".join(hit.schedule),
        f"{base_url.rstrip('/')}/{lang}/services/{hit.id}",
    ]


def hits(
    session: Session, filters: SearchFilters, now: datetime
) -> Iterator[ServiceHit]:
    """Every service the search finds (up to MAX_ROWS), none reserved to
    professionals whoever asks."""
    size = MAX_PAGE_SIZE
    for number in range(1, MAX_ROWS // size + 1):
        page = search(
            session, filters.model_copy(update={"page": number, "size": size}), now
        )
        reserved = set(
            session.exec(
                select(Service.id).where(
                    col(Service.id).in_([h.id for h in page.items]),
                    col(Service.visibility) != Visibility.public,
                )
            ).all()
        ) if page.items else set()  # fmt: skip
        yield from (h for h in page.items if h.id not in reserved)
        if number >= page.pages:
            return


def csv_text(
    items: Iterator[ServiceHit], base_url: str, lang: str, licence: Licence
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header())
    for hit in items:
        writer.writerow([neutral(cell) for cell in _row(hit, base_url, lang)])
    writer.writerow([])
    writer.writerow([neutral(licence.attribution)])
    return "\ufeff" + buffer.getvalue()
