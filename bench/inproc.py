"""In-process timings of one query: the engine's own SQL alone, the whole
``search()`` alone, and a pyinstrument profile of what a request runs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from api.routes.http import now_paris
from api.services.search.engine import _find, search
from api.services.search.filters import SearchFilters
from api.services.search.stats import record_search
from bench.load import time_calls

LISTS = {"category", "public", "language", "qpv", "commune"}


def filters_of(params: dict[str, Any]) -> SearchFilters:
    return SearchFilters.model_validate(
        {k: [v] if k in LISTS else v for k, v in params.items()}
    )


def run_sql(session: Session, filters: SearchFilters, now: datetime) -> None:
    """What ``search`` asks the database, without the result cache: the plan
    (opening-hours rules evaluated once each) and the one statement that pages
    and counts."""
    _find(session, filters, now)


def _guarded(call: Any, repeat: int, max_seconds: float) -> dict[str, Any]:
    """One warm-up call (caches warm, as the server's are), then the timings;
    a statement timeout (PostgreSQL) is reported, not raised."""
    try:
        call()
        return time_calls(call, repeat, max_seconds)
    except OperationalError as error:
        first = str(error.orig).splitlines()[0] if error.orig else str(error)
        return {"p50": None, "p95": None, "runs": 0, "error": first}


def sql_time(
    engine: Engine, params: dict[str, Any], repeat: int, max_seconds: float
) -> dict[str, Any]:
    filters, now = filters_of(params), now_paris()
    with Session(engine) as session:
        return _guarded(lambda: run_sql(session, filters, now), repeat, max_seconds)


def search_time(
    engine: Engine, params: dict[str, Any], repeat: int, max_seconds: float
) -> dict[str, Any]:
    """The whole ``search()`` (SQL, listings, hours, models), one at a time, a
    fresh session each, as a request has."""
    filters = filters_of(params)

    def once() -> None:
        with Session(engine) as session:
            search(session, filters, now_paris())

    return _guarded(once, repeat, max_seconds)


def profile(engine: Engine, params: dict[str, Any], out: Path) -> str | None:
    """What the route runs (search, stats, JSON), profiled once after a warm-up;
    the text report goes to ``out``. None when pyinstrument is missing."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    filters = filters_of(params)

    def request() -> None:
        with Session(engine) as session:
            now = now_paris()
            page = search(session, filters, now)
            record_search(session, filters, page.total, "fr", now.date())
            to_json(page)

    profiler = Profiler(interval=0.0005)
    try:
        request()
        profiler.start()
        request()
    except OperationalError:  # statement timeout: nothing worth reading
        return None
    finally:
        if profiler.is_running:
            profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    out.write_text(text)
    return text
