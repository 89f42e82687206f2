"""A short-lived cache of search results, correct across workers and machines.

Entries are keyed by the database's search version (``tables.version``), which
every write that can change a result bumps in its own transaction: after a
write anywhere, each worker's next request reads the new version, misses, and
searches again. Only the cheap part is kept (a page of ids and the count);
opening state and distances in words are rebuilt for every response.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from threading import Lock
from typing import Any, TypeVar

from sqlmodel import Session

from api.i18n import get_locale
from api.services.search import tables
from api.services.search.filters import SearchFilters
from api.settings import get_settings

T = TypeVar("T")
MAX_ENTRIES = 2048

_entries: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
_lock = Lock()


def key(
    session: Session,
    filters: SearchFilters,
    moment: datetime | None,
    professionals: bool,
) -> tuple[Any, ...]:
    # The moment to the minute: opening hours have no finer grain.
    minute = moment.replace(second=0, microsecond=0).isoformat() if moment else None
    return (
        str(session.get_bind().url),
        tables.version(session),
        filters.model_dump_json(),
        minute,
        professionals,
        get_locale(),
    )


def remember(
    session: Session, at: Callable[[], tuple[Any, ...]], compute: Callable[[], T]
) -> T:
    """``compute()``, or its value kept under the key ``at()`` (worked out
    only when the cache is on: it reads the search version)."""
    ttl = get_settings().search_cache_seconds
    if ttl <= 0:
        return compute()
    cached_as = at()
    now = time.monotonic()
    with _lock:
        entry = _entries.get(cached_as)
        if entry is not None and now - entry[0] < ttl:
            _entries.move_to_end(cached_as)
            return entry[1]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        _entries[cached_as] = (now, value)
        _entries.move_to_end(cached_as)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
