"""Settings held for the length of one import, then put back.

- Python's cyclic garbage collector is paused: an import allocates millions
  of small dicts and lists that live until its end, and each collection of
  the older generations walks all of them (a quarter of the CPU time, more
  as the file grows). The rows make no cycles worth collecting meanwhile;
  whatever remains is collected once the collector is back on.
- SQLite's page cache is raised: every index keyed by a random UUID is
  written at random pages, and once those indexes outgrow the 64 MB cache
  each insert reads and spills pages again (the cost per service grew with
  the directory). A cache only takes memory as it fills; durability settings
  (journal, synchronous) stay as they are.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlmodel import Session

SQLITE_CACHE_KIB = 512 * 1024


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off (reading a file builds as many objects as
    writing it), back to its previous state afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def import_settings(session: Session) -> Iterator[None]:
    raw = _sqlite_connection(session)
    previous = None
    if raw is not None:
        previous = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    try:
        with collector_paused():
            yield
    finally:
        if raw is not None and previous is not None:
            raw.execute(f"PRAGMA cache_size={int(previous)}")


def _sqlite_connection(session: Session) -> Any:
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    return connection.connection.dbapi_connection
