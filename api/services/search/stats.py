"""Anonymous search statistics: what was looked for, per day, never by whom.

No IP, no user agent, no time finer than the day; the words typed are kept
only when the search found nothing, to show coordinators unmet needs.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from threading import Lock
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from api import db
from api.models import SearchStat
from api.services.search.filters import SearchFilters
from api.services.search.text import normalised_query
from api.settings import get_settings

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
    """Count one search. Counts wait in this process and are written every
    REPERES_SEARCH_STATS_FLUSH_SECONDS (and when the server stops), in one
    transaction: a write and its lock per search would cost every search more
    than the search itself on SQLite. A failure here never breaks the search."""
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
    database = _database(session)
    with _lock:
        _pending.setdefault(database, Counter())[tuple(key.items())] += 1
        due = time.monotonic() - _flushed.get(database, 0.0)
    if due >= get_settings().search_stats_flush_seconds:
        flush(session)


def flush(session: Session) -> None:
    """Write the counts waiting for this session's database."""
    database = _database(session)
    with _lock:
        counts = _pending.pop(database, Counter())
        _flushed[database] = time.monotonic()
    if not counts:
        return
    for _ in range(2):  # a concurrent first insert of the same key: retry once
        try:
            for items, n in counts.items():
                key = dict(items)
                same_key = [getattr(SearchStat, k) == v for k, v in key.items()]
                # An atomic increment: concurrent writers never lose a count.
                bumped = session.execute(
                    update(SearchStat)
                    .where(*same_key)
                    .values(count=SearchStat.count + n)
                )
                if bumped.rowcount == 0:  # type: ignore[attr-defined]
                    session.add(SearchStat(**key, count=n))
                    session.flush()
            session.commit()
            return
        except IntegrityError:
            session.rollback()


def flush_all() -> None:
    """Write every count waiting in this process (the server is stopping)."""
    for database in list(_pending):
        engine = db.make_engine(database)
        with Session(engine) as session:
            flush(session)
        engine.dispose()


def _database(session: Session) -> str:
    # Counts belong to the database they were searched in (tests run many).
    return session.get_bind().url.render_as_string(hide_password=False)


_lock = Lock()
_pending: dict[str, Counter[tuple[tuple[str, Any], ...]]] = {}
_flushed: dict[str, float] = {}
