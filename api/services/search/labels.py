"""The interface labels of themes, categories and publics in every shipped
language, as a small word index: "محامي", "молодь" or "health" find the
services of the theme or public whose translated label holds that word.

Labels are the same for every service of a theme, so they are matched once per
query here instead of being copied into every indexed document (twelve
languages would multiply the index size for no gain). French labels also stay
in the documents, for ranking.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from functools import cache

from api.i18n import LOCALES, translations
from api.services.search.stemming import number_forms
from api.vocabulary import CATEGORIES, PUBLICS, THEMES

# A word found in more labels than this in one language ("accompagnement",
# "support") says nothing about which theme is meant.
MAX_LABELS_PER_WORD = 4
MIN_PREFIX = 4


@cache
def _index() -> tuple[dict[str, frozenset[str]], list[str]]:
    """(folded word -> codes, sorted words) over every language's labels."""
    from api.services.search.text import words

    codes_by_word: dict[str, set[str]] = defaultdict(set)
    for locale in LOCALES:
        catalog = translations(locale)
        per_language: dict[str, set[str]] = defaultdict(set)
        for vocabulary in (CATEGORIES, THEMES, PUBLICS):
            for code, source in vocabulary.items():
                for word in words(catalog.gettext(source)):
                    if len(word) > 1:
                        per_language[word].add(code)
        for word, codes in per_language.items():
            if len(codes) <= MAX_LABELS_PER_WORD:
                codes_by_word[word] |= codes
    frozen = {word: frozenset(codes) for word, codes in codes_by_word.items()}
    return frozen, sorted(frozen)


def _article_free(word: str) -> str:
    # Arabic, Dari and Pashto write the article as part of the word.
    return word.removeprefix("ال") if len(word) > 4 else word


def label_codes(query_words: list[str]) -> set[str]:
    """Codes of themes, categories and publics whose label, in any language,
    holds one of the words (or a word starting with it, or its singular)."""
    index, ordered = _index()
    found: set[str] = set()
    for word in query_words:
        candidates = {word, _article_free(word), "ال" + word}
        if len(word) > MIN_PREFIX:
            candidates |= number_forms(word)
        for candidate in candidates:
            found |= index.get(candidate, frozenset())
        if len(word) >= MIN_PREFIX:
            start = bisect_left(ordered, word)
            for label_word in ordered[start : start + 20]:
                if not label_word.startswith(word):
                    break
                found |= index[label_word]
    return found
