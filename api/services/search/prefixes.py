"""SQLite: a typed word's prefix written out as the index's own words.

FTS5 answers ``"aide"*`` by merging the document lists of every word that
starts with « aide » into a new list before anything else runs: 5–6 ms for a
common word at 100,000 services, on every search and in every near-me query.
The same words written out (``"aide" OR "aides"``) are read where they lie and,
beside a condition on places (the ``tags`` column), skipped through with the index's own
doclist index, so a prefix costs no more than its words.

The index's words change only with a write, so an expansion is kept per
database and search version (``tables.version``), as result caches are: after a
write anywhere, every worker reads the vocabulary again. This is the index's
own vocabulary, not a result: results are never served from here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from sqlalchemy import text
from sqlmodel import Session

from api.services.search import tables

# A prefix with more words than this ("a", "lo") keeps FTS5's own prefix
# query: an OR of hundreds of words would cost more than the merge.
MAX_WORDS = 24
MAX_ENTRIES = 4096
# The columns a typed word is looked for in; ``tags`` holds places and
# themes, not words anyone typed.
TEXT_COLUMNS = ("title", "summary", "body", "stems")

Expand = Callable[[str, str | None], tuple[str, ...] | None]

_VOCABULARY = text(
    "SELECT DISTINCT term FROM search_fts_vocab "
    "WHERE term >= :low AND term < :high AND col IN ({columns}) LIMIT :most"
)
_entries: OrderedDict[tuple[str, int, str, str | None], tuple[str, ...] | None] = (
    OrderedDict()
)
_lock = Lock()


def _after(prefix: str) -> str:
    """The first string after every word starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def expander(session: Session) -> Expand:
    """``expand(prefix, column)``: the index's words starting with ``prefix``
    (in that column, or in any text column), or None when there are too many
    to write out."""
    database = str(session.get_bind().url)
    version = tables.version(session)

    def expand(prefix: str, column: str | None) -> tuple[str, ...] | None:
        key = (database, version, prefix, column)
        with _lock:
            if key in _entries:
                _entries.move_to_end(key)
                return _entries[key]
        columns = (column,) if column else TEXT_COLUMNS
        statement = text(
            _VOCABULARY.text.format(columns=", ".join(f"'{c}'" for c in columns))
        )
        words = tuple(
            sorted(
                session.execute(
                    statement,
                    {"low": prefix, "high": _after(prefix), "most": MAX_WORDS + 1},
                ).scalars()
            )
        )
        found = None if len(words) > MAX_WORDS else words
        with _lock:
            _entries[key] = found
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        return found

    return expand
