"""From what a person typed to what the full-text back-ends match.

Words are runs of letters, digits and combining marks in any script (Arabic,
Cyrillic, Ge'ez, Latin…). Folding follows what the SQLite tokenizer
(``unicode61 remove_diacritics 2``) and PostgreSQL's ``unaccent`` do: case is
folded everywhere, accents only on Latin letters ("Médecins" -> "medecins"),
Arabic vowel marks are dropped, and other scripts keep their letters as they
are ("й" is not "и" in Ukrainian).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from sqlmodel import Session, col, select

from api.models import Synonym
from api.services.search.labels import label_codes
from api.services.search.prefixes import TEXT_COLUMNS, Expand
from api.services.search.stemming import number_forms, stem, stems

# Short function words carry no meaning for a search and would make an AND
# query fail ("aide pour les papiers").
STOP_WORDS = frozenset(
    "a au aux avec ce ces d dans de des du elle en et il j je l la le les leur "
    "ma me mes mon ne nous on ou par pas pour qu que qui sa se ses son sur ta te "
    "tes ton tu un une vos votre vous y est suis ai".split()
)
MAX_TERMS = 8
MAX_PHRASE = 4  # words in the longest synonym phrase looked up
# Arabic-script vowel marks and signs written above or below letters: optional
# in writing, so a word is the same with or without them.
_ARABIC_MARKS = (
    frozenset(range(0x0610, 0x061B))
    | frozenset(range(0x064B, 0x0660))
    | frozenset([0x0670])
    | frozenset(range(0x06D6, 0x06EE))
)
_TATWEEL = "\u0640"  # Arabic elongation stroke: typography, not a letter


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def fold(text: str) -> str:
    """Lower-case; without accents on Latin letters: 'Santé' -> 'sante'."""
    kept: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(char):
            if base_is_latin or ord(char) in _ARABIC_MARKS:
                continue
        elif char != _TATWEEL:
            base_is_latin = _is_latin(char)
        else:
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def words(text: str) -> list[str]:
    """Every folded word of ``text``, in order."""
    found: list[str] = []
    current: list[str] = []
    for char in fold(text):
        if _is_word_char(char):
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def terms(query: str) -> list[str]:
    """Meaningful words of the query, folded, in order, without repeats."""
    seen: list[str] = []
    for word in words(query):
        if word not in STOP_WORDS and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def normalised_query(query: str) -> str:
    return " ".join(words(query))[:200]


def index_stems(*texts: str) -> str:
    """The French stems of every word, for the SQLite index ("stems" column)."""
    return " ".join(stems([w for text in texts for w in words(text)]))


def _singular(word: str) -> str | None:
    """The word without its plural ending, when that changes its stem: Snowball
    leaves "emplois" whole while "emploi" stems to "emploi"."""
    if len(word) > 3 and word[-1] in "sx" and stem(word[:-1]) != stem(word):
        return word[:-1]
    return None


def fts5_query(terms_: Iterable[str], expand: Expand | None = None) -> str:
    """Every word must match: as typed, as a prefix ('sante' finds 'santé'), or
    by its French stem against the stems column, as a prefix too — PostgreSQL's
    ``stem:*``, so 'logements' finds 'logement' on both back-ends — or by the
    exact stem of its singular. ``expand`` writes each prefix out as the
    index's words (``prefixes``)."""
    parts = []
    for word in terms_:
        options = [_prefix(form, None, expand) for form in _typed(word)]
        options.append(_prefix(stem(word), "stems", expand))
        singular = _singular(word)
        if singular:
            options.append(f'stems : "{stem(singular)}"')
        parts.append(f"({' OR '.join(options)})")
    return " AND ".join(parts)


def fts5_title_query(terms_: Iterable[str], expand: Expand | None = None) -> str:
    """Every word in the title, as typed or without its plural ending (a
    prefix): the first relevance tier, which a broad search ranks alone
    (``sql.title_tier``) — « logements » ranks « Conseil logement » first, as
    PostgreSQL's stemmed title does. Each word's options are among
    ``fts5_query``'s, so the tier is part of its matches."""
    words = [
        f"({' OR '.join(_prefix(form, 'title', expand) for form in _typed(word))})"
        for word in terms_
    ]
    return " AND ".join(words)


def _typed(word: str) -> list[str]:
    """The word as typed, and without a plural ending, each as a prefix."""
    forms = [word]
    if len(word) > 3 and word[-1] in "sx":
        forms.append(word[:-1])
    return forms


def _prefix(prefix: str, column: str | None, expand: Expand | None) -> str:
    """FTS5 for "a word starting with ``prefix``" in ``column`` (or any text
    column: ``tags`` holds places and themes): the index's words written out when
    ``expand`` gives them, else FTS5's own prefix query."""
    words = expand(prefix, column) if expand else None
    scope = column or "{" + " ".join(TEXT_COLUMNS) + "}"
    if words is None:
        return f'{scope} : "{prefix}"*'
    if not words:  # no word of the index starts with it: matches nothing
        return f'{scope} : "{prefix}"'
    written = " OR ".join(f'"{word}"' for word in words)
    return f"{column} : ({written})" if column else f"({written})"


def tsquery(terms_: Iterable[str]) -> str:
    """For to_tsquery('reperes_fr', …): stemmed words, each also as a prefix,
    or the exact stem of its singular (as ``fts5_query``)."""
    parts = []
    for word in terms_:
        singular = _singular(word)
        parts.append(f"({word}:* | {singular})" if singular else f"{word}:*")
    return " & ".join(parts)


def title_tsquery(terms_: Iterable[str]) -> str:
    """``tsquery``'s first option of each word, matched against the title's own
    tsvector (``title_tsv``, weight A of ``tsv``): PostgreSQL's title tier
    (``sql.title_tier``). No weight in the query: GIN cannot filter on one."""
    return " & ".join(f"{word}:*" for word in terms_)


def _phrases(folded_words: list[str]) -> set[str]:
    phrases = {
        " ".join(folded_words[i:j])
        for i in range(len(folded_words))
        for j in range(i + 1, min(len(folded_words), i + MAX_PHRASE) + 1)
    }
    # Singular and plural find the same synonym ("medecins" -> "medecin",
    # "enfant" -> "enfants").
    for word in folded_words:
        if len(word) > 3:
            phrases |= number_forms(word)
    return phrases


def synonym_categories(session: Session, query: str) -> set[str]:
    """Themes (and publics) meant by everyday words of the query, in any
    language: the synonym table ("manger", "محامي" …) and the translated
    labels of themes and publics ("Здоров'я" -> health).

    Whole phrases count too: "titre de séjour" is looked up as one term.
    Public codes ("jeunes") are among them: they never clash with theme codes.
    """
    folded = words(query)
    if not folded:
        return set()
    rows = session.exec(
        select(Synonym.categories).where(col(Synonym.term).in_(_phrases(folded)))
    )
    codes = {code for categories in rows.all() for code in categories}
    return codes | label_codes([w for w in folded if w not in STOP_WORDS])
