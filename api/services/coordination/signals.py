"""Non-recours signals from the anonymous search statistics (SearchStat).

k-anonymity: no count below ``K`` ever leaves this module. Such a cell is
``None`` (shown "< 5"); a zero-result query searched fewer than ``K`` times
in the period is not listed at all (its words could name a person), and no
total is shown from which a hidden cell could be worked out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.models import HiddenQuery, Qpv, SearchStat
from api.services.places.communes import name_of
from api.vocabulary import CATEGORIES, category_of

K = 5
MONTHS = 12
NO_THEME = ""  # searches without a theme filter


def masked(count: int) -> int | None:
    """The count if at least K, else None."""
    return count if count >= K else None


def months_back(today: date, months: int = MONTHS) -> list[str]:
    """The last ``months`` months, oldest first, as "YYYY-MM"."""
    year, month = today.year, today.month
    keys = []
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


@dataclass
class Table:
    """Rows × months, already masked."""

    months: list[str]
    rows: list[tuple[str, list[int | None]]]  # (row key, one cell per month)


def _since(months: list[str]) -> date:
    year, month = months[0].split("-")
    return date(int(year), int(month), 1)


def _table(counts: dict[str, Counter[str]], months: list[str]) -> Table:
    rows = [
        (key, [masked(by_month[m]) for m in months])
        for key, by_month in counts.items()
        if any(by_month[m] >= K for m in months)
    ]
    rows.sort(key=lambda row: -sum(c or 0 for c in row[1]))
    return Table(months, rows)


def by_theme(session: Session, scope: Any, today: date) -> Table:
    """Searches per category of theme asked for, per month; "" is none."""
    months = months_back(today)
    rows = session.exec(
        select(SearchStat.day, SearchStat.categories, func.sum(SearchStat.count))
        .where(scope, col(SearchStat.day) >= _since(months))
        .group_by(col(SearchStat.day), col(SearchStat.categories))
    ).all()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for day, categories, count in rows:
        codes = {category_of(c) for c in categories.split(",") if c}
        for code in (codes & set(CATEGORIES)) or {NO_THEME}:
            counts[code][day.strftime("%Y-%m")] += int(count)
    return _table(counts, months)


def by_area(session: Session, scope: Any, today: date) -> Table:
    """Searches per QPV (or commune, when no QPV was asked for), per month.
    Row keys are labels: the QPV's name, else the commune's."""
    months = months_back(today)
    rows = session.exec(
        select(
            SearchStat.day,
            SearchStat.commune,
            SearchStat.qpv_code,
            func.sum(SearchStat.count),
        )
        .where(scope, col(SearchStat.day) >= _since(months))
        .group_by(
            col(SearchStat.day), col(SearchStat.commune), col(SearchStat.qpv_code)
        )
    ).all()
    names = dict(session.exec(select(Qpv.code, Qpv.name)).all())
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for day, commune, qpv_code, count in rows:
        label = names.get(qpv_code, qpv_code) if qpv_code else name_of(commune)
        counts[label or commune][day.strftime("%Y-%m")] += int(count)
    return _table(counts, months)


def languages(session: Session, scope: Any, today: date) -> list[tuple[str, int]]:
    """Interface languages of the searches over the period, at least K each."""
    rows = session.exec(
        select(SearchStat.language, func.sum(SearchStat.count))
        .where(scope, col(SearchStat.day) >= _since(months_back(today)))
        .group_by(col(SearchStat.language))
    ).all()
    found = [(lang, int(n)) for lang, n in rows if lang and int(n) >= K]
    return sorted(found, key=lambda row: (-row[1], row[0]))


@dataclass
class UnmetQuery:
    query: str
    count: int  # always >= K
    language: str  # the language it was most searched in


def _query_counts(session: Session, scope: Any, today: date) -> dict[str, Counter[str]]:
    rows = session.exec(
        select(SearchStat.query, SearchStat.language, func.sum(SearchStat.count))
        .where(
            scope,
            col(SearchStat.day) >= _since(months_back(today)),
            SearchStat.result_bucket == "0",
            SearchStat.query != "",
        )
        .group_by(col(SearchStat.query), col(SearchStat.language))
    ).all()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for query, language, count in rows:
        counts[query][language] += int(count)
    return counts


def unmet_queries(
    session: Session, scope: Any, today: date, hidden: bool = False
) -> list[UnmetQuery]:
    """Zero-result queries searched at least K times, most searched first;
    those a coordinator hid (or, with ``hidden``, only those)."""
    hidden_set = set(session.exec(select(HiddenQuery.query)).all())
    found = []
    for query, by_language in _query_counts(session, scope, today).items():
        total = sum(by_language.values())
        if total < K or (query in hidden_set) != hidden:
            continue
        language = by_language.most_common(1)[0][0]
        found.append(UnmetQuery(query, total, language))
    return sorted(found, key=lambda q: (-q.count, q.query))


def is_unmet_here(session: Session, scope: Any, today: date, query: str) -> bool:
    """Whether this query is one the coordinator can see (hidden or not)."""
    counts = _query_counts(session, scope, today).get(query)
    return counts is not None and sum(counts.values()) >= K


def hide(session: Session, query: str, user_id: Any) -> None:
    if session.exec(select(HiddenQuery).where(HiddenQuery.query == query)).first():
        return
    session.add(HiddenQuery(query=query, hidden_by=user_id))
    session.commit()


def show_again(session: Session, query: str) -> None:
    row = session.exec(select(HiddenQuery).where(HiddenQuery.query == query)).first()
    if row is not None:
        session.delete(row)
        session.commit()
