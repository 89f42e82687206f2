"""Queries that cannot be read, and misspelt words ("logemant", "medcin").

Only runs when the exact search found nothing, or for a query of several words
(one probe of the index per word), so the common case pays nothing: each
unknown word is replaced by the closest word of the index's own
vocabulary (SQLite: an fts5vocab view of the full-text index; PostgreSQL: the
``search_fts_words`` table kept by a trigger, both from migration 0004), by
edit distance, and the search runs once more.
"""

from __future__ import annotations

from collections.abc import Callable
from os.path import commonprefix

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract
from sqlalchemy import text
from sqlmodel import Session, col, select

from api.models import Synonym
from api.models.public import SearchPage
from api.services.search import sql
from api.services.search.filters import SearchFilters
from api.services.search.text import synonym_categories, terms

MIN_LENGTH = 4  # shorter words have too many neighbours to guess from
_SQLITE_VOCABULARY = text(
    "SELECT term, sum(doc) FROM search_fts_vocab "
    "WHERE term >= :low AND term < :high AND col IN ('title', 'summary', 'body') "
    "AND length(term) BETWEEN :shortest AND :longest GROUP BY term"
)
_POSTGRES_VOCABULARY = text(
    "SELECT word, 0 FROM search_fts_words WHERE word >= :low AND word < :high "
    "AND length(word) BETWEEN :shortest AND :longest"
)


def is_unreadable(session: Session, query: str | None) -> bool:
    """A query was typed, but it holds no usable word and means no theme."""
    if not query or not query.strip():
        return False
    return not terms(query) and not synonym_categories(session, query)


def _max_distance(word: str) -> int:
    return 1 if len(word) <= 6 else 2


def _is_known(session: Session, dialect: str, word: str) -> bool:
    if word.isdigit() or len(word) < MIN_LENGTH:
        return True
    if synonym_categories(session, word):
        return True
    # Unranked, on the index alone: a probe, not a search.
    probe = sql.text_entries(dialect, [word], ranked=False).limit(1)
    return session.exec(probe).first() is not None


def _neighbours(session: Session, dialect: str, word: str) -> dict[str, int]:
    """Words of the index (and synonyms) with the same first letter and a
    length within reach: {word: number of documents, when known}."""
    reach = _max_distance(word)
    bounds = {
        "low": word[0],
        "high": word[0] + "\U0010ffff",
        "shortest": len(word) - reach,
        "longest": len(word) + reach,
    }
    statement = _SQLITE_VOCABULARY if dialect == "sqlite" else _POSTGRES_VOCABULARY
    found = {term: int(docs or 0) for term, docs in session.execute(statement, bounds)}
    for term in session.exec(
        select(Synonym.term).where(
            col(Synonym.term) >= bounds["low"], col(Synonym.term) < bounds["high"]
        )
    ).all():
        if " " not in term:
            found.setdefault(term, 0)
    return found


def _closest(session: Session, dialect: str, word: str) -> str | None:
    neighbours = _neighbours(session, dialect, word)
    close = extract(
        word,
        list(neighbours),
        scorer=Levenshtein.distance,
        score_cutoff=_max_distance(word),
        limit=None,
    )
    if not close:
        return None
    # The nearest; then the one sharing the longest start ("gratuis" is
    # "gratuit" rather than "gratis"), the most common, the first.
    best = min(
        close,
        key=lambda c: (
            c[1],
            -len(commonprefix([word, c[0]])),
            -neighbours[c[0]],
            c[0],
        ),
    )
    return best[0]


def correction(session: Session, query: str) -> str | None:
    """The query with each unknown word replaced by its nearest known word, or
    None when nothing could be corrected."""
    dialect = session.get_bind().dialect.name
    corrected: list[str] = []
    changed = False
    for word in terms(query):
        replacement = None
        if not _is_known(session, dialect, word):
            replacement = _closest(session, dialect, word)
        corrected.append(replacement or word)
        changed = changed or replacement is not None
    return " ".join(corrected) if changed else None


def tolerant_search(
    session: Session, filters: SearchFilters, run: Callable[[SearchFilters], SearchPage]
) -> SearchPage:
    """``run`` (the exact search), except that an unreadable query finds nothing
    and says so, and a query with an unknown word is tried once corrected (its
    results replace the exact ones when it finds something)."""
    if is_unreadable(session, filters.q):
        return SearchPage(
            items=[],
            total=0,
            page=filters.page,
            size=filters.size,
            pages=1,
            unreadable=True,
        )
    page = run(filters)
    if not filters.q or (page.total and len(terms(filters.q)) < 2):
        return page
    # Nothing found, or several words of which one may be misspelt (and the
    # others found something through their themes): one indexed probe per word.
    corrected = correction(session, filters.q)
    if corrected is None:
        return page
    second = run(filters.model_copy(update={"q": corrected}))
    if not second.total:
        return page
    return second.model_copy(update={"corrected_query": corrected})
