"""Anonymous search statistics: what was looked for, per day, never by whom.

No IP, no user agent, no time finer than the day; the words typed are kept
only when the search found nothing, to show coordinators unmet needs.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from api.models import SearchStat
from api.services.search.filters import SearchFilters
from api.services.search.text import normalised_query

LENGTHS = {
    name: column.type.length
    for name, column in SearchStat.__table__.columns.items()  # type: ignore[attr-defined]
    if getattr(column.type, "length", None)
}


def result_bucket(total: int) -> str:
    if total == 0:
        return "0"
    if total <= 5:
        return "1-5"
    if total <= 20:
        return "6-20"
    return "21+"


def record_search(
    session: Session, filters: SearchFilters, total: int, language: str, day: date
) -> None:
    """Count one search; a failure here must never break the search itself."""
    if filters.page != 1:
        return  # turning pages is not a new search
    key = {
        "day": day,
        "commune": min(filters.commune, default=""),
        "qpv_code": min(filters.qpv, default=""),
        "categories": ",".join(sorted(filters.category)),
        "language": language,
        "result_bucket": result_bucket(total),
        "query": normalised_query(filters.q or "") if total == 0 else "",
    }
    # Cut to the columns' lengths: PostgreSQL refuses longer values (SQLite
    # keeps them), and a statistic needs no more.
    key = {k: v[: LENGTHS[k]] if k in LENGTHS else v for k, v in key.items()}
    same_key = [getattr(SearchStat, k) == v for k, v in key.items()]
    for _ in range(2):  # a concurrent first insert of the same key: retry once
        try:
            # An atomic increment: concurrent searches never lose a count.
            bumped = session.execute(
                update(SearchStat).where(*same_key).values(count=SearchStat.count + 1)
            )
            if bumped.rowcount == 0:  # type: ignore[attr-defined]
                session.add(SearchStat(**key, count=1))
            session.commit()
            return
        except IntegrityError:
            session.rollback()
