"""French Snowball stems, the same algorithm PostgreSQL's ``french_stem`` runs.

SQLite has no stemmer: the index stores the stems of every word next to the
text, and queries look up the stem of each word, so "logements", "avocats" or
"médecins" find what the singular finds on both back-ends.
"""

from __future__ import annotations

import threading

import Stemmer

# PyStemmer objects are not thread-safe and sync routes run in a thread pool.
_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("french")
    return stemmer


def stem(word: str) -> str:
    """The stem of one folded word ('logements' -> 'log', as PostgreSQL)."""
    return _stemmer().stemWord(word)


def stems(words: list[str]) -> list[str]:
    """Distinct stems of folded words, in order."""
    return list(dict.fromkeys(_stemmer().stemWords(words)))


def number_forms(word: str) -> set[str]:
    """The word with and without a plural ending (French, English, Spanish…),
    for exact lookups (synonyms, labels) that the stems do not reach."""
    if word[-1] in "sx":
        return {word, word[:-1]}
    return {word, word + "s", word + "x"}
