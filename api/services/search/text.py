"""From what a person typed to what the full-text back-ends match."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlmodel import Session, col, select

from api.models import Synonym

_WORD = re.compile(r"[a-z0-9]+")
# Short function words carry no meaning for a search and would make an AND
# query fail ("aide pour les papiers").
STOP_WORDS = frozenset(
    "a au aux avec ce ces d dans de des du elle en et il j je l la le les leur "
    "ma me mes mon ne nous on ou par pas pour qu que qui sa se ses son sur ta te "
    "tes ton tu un une vos votre vous y est suis ai".split()
)
MAX_TERMS = 8
MAX_PHRASE = 4  # words in the longest synonym phrase looked up


def fold(text: str) -> str:
    """Lower-case, without accents: 'Santé' -> 'sante'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms(query: str) -> list[str]:
    """Meaningful words of the query, folded, in order, without repeats."""
    seen: list[str] = []
    for word in _WORD.findall(fold(query)):
        if word not in STOP_WORDS and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def normalised_query(query: str) -> str:
    return " ".join(_WORD.findall(fold(query)))[:200]


def fts5_query(words: Iterable[str]) -> str:
    """Every word must match, as a prefix (a poor man's stemming: 'colis' finds
    'colis', 'sante' finds 'santé' and 'santés')."""
    return " AND ".join(f'"{w}"*' for w in words)


def tsquery(words: Iterable[str]) -> str:
    """For to_tsquery('reperes_fr', …): stemmed words, each also as a prefix."""
    return " & ".join(f"{w}:*" for w in words)


def synonym_categories(session: Session, query: str) -> set[str]:
    """Themes meant by everyday words of the query ("manger" -> food aid).

    Whole phrases count too: "titre de séjour" is looked up as one term.
    """
    folded = normalised_query(query)
    if not folded:
        return set()
    words = folded.split()
    candidates = {
        " ".join(words[i:j])
        for i in range(len(words))
        for j in range(i + 1, len(words) + 1)
    }
    rows = session.exec(
        select(Synonym.categories).where(col(Synonym.term).in_(candidates))
    )
    return {code for categories in rows.all() for code in categories}
