"""Reporting periods: a month (2026-11), a quarter (2026-T4) or a year (2026),
and the period just before it, of the same length."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from api.i18n import _, babel_locale

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-T([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year
    start: date
    end: date  # excluded

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-T{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def previous(self) -> Period:
        start = _add_months(self.start, -self.months)
        return Period(self.kind, start, self.start)

    def label(self, locale: str) -> str:
        if self.kind == "month":
            return format_date(self.start, "LLLL y", locale=babel_locale(locale))
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return _("%(year)s, trimestre %(n)s") % {
                "n": quarter,
                "year": self.start.year,
            }
        return str(self.start.year)

    def month_starts(self) -> list[date]:
        return [_add_months(self.start, i) for i in range(self.months)]


def month_of(day: date) -> Period:
    start = date(day.year, day.month, 1)
    return Period("month", start, _add_months(start, 1))


def parse(code: str | None, today: date | None = None) -> Period | None:
    """The period a code names; None when it names none. Empty: this month."""
    if not code:
        return month_of(today or date.today())
    if match := _MONTH.match(code):
        year, month = int(match.group(1)), int(match.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return month_of(date(year, month, 1))
    elif match := _QUARTER.match(code):
        year, quarter = int(match.group(1)), int(match.group(2))
        if 2000 <= year <= 2100:
            start = date(year, 3 * quarter - 2, 1)
            return Period("quarter", start, _add_months(start, 3))
    elif match := _YEAR.match(code):
        year = int(match.group(1))
        if 2000 <= year <= 2100:
            return Period("year", date(year, 1, 1), date(year + 1, 1, 1))
    return None


def choices(today: date | None = None) -> list[Period]:
    """What the period picker offers: the last 12 months, 4 quarters, 3 years."""
    current = month_of(today or date.today())
    months = [current]
    for _i in range(11):
        months.append(months[-1].previous())
    quarter_start = date(
        current.start.year, 3 * ((current.start.month - 1) // 3) + 1, 1
    )
    quarters = [Period("quarter", quarter_start, _add_months(quarter_start, 3))]
    for _i in range(3):
        quarters.append(quarters[-1].previous())
    years = [
        Period(
            "year", date(current.start.year, 1, 1), date(current.start.year + 1, 1, 1)
        )
    ]
    for _i in range(2):
        years.append(years[-1].previous())
    return months + quarters + years
