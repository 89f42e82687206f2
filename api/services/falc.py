"""A checker for easy-to-read French (FALC, « facile à lire et à comprendre »).

Each rule looks for one thing that makes a text hard for people who read with
difficulty, and explains it in plain words with a suggestion. Findings carry
the span of text they are about, so forms can underline it. Thresholds follow
the European easy-to-read guidelines (Inclusion Europe): short sentences, one
idea each, common words, digits, positive phrasing, no parentheses.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from wordfreq import zipf_frequency

from api.i18n import _

LEXICON = Path(__file__).resolve().parents[2] / "data" / "falc" / "lexicon.json"
WARN_WORDS, MAX_WORDS = 12, 15
RARE_ZIPF = 3.5
# Below this score the partner dashboard shows the "low" badge
# (web/templates/espace/_falc_findings.html).
LOW_SCORE = 60
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒ'’-]+")
_NUMBER_WORDS = (
    "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize vingt trente quarante cinquante soixante cent cents mille"
).split()
_ETRE = (
    r"(?:est|sont|était|étaient|sera|seront|a été|ont été|sera|soit|soient|être|été)"
)
_PASSIVE = re.compile(
    rf"\b{_ETRE}\s+(?:\w+\s+)?"
    r"(\w+(?:é|ée|és|ées|is|ise|ises|it|ite|its|ites|u|ue|us|ues))\b"
    r"(?=[^.!?]*\bpar\b)",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:ne|n['’])\s*\w+(?:\s+\w+)?\s+"
    r"(?:pas|plus|jamais|rien|personne|aucun|aucune|guère)\b"
    r"|\bsans\b|\bnon\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\btrimestre\b|\bsemestre\b|\ben date du\b"
    r"|\bsusmentionn\w*|\bpériode du\b",
    re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"\([^)]*\)")
_ACRONYM = re.compile(r"\b[A-ZÀ-Ý]{2,}\b")
_CONJUNCTIONS = re.compile(
    r"\b(?:et|ou|mais|donc|car|puis|ainsi que|ni)\b|;", re.IGNORECASE
)


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str  # "error" (must fix) or "warning" (should fix)
    start: int
    end: int
    message: str
    suggestion: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def lexicon() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(LEXICON.read_text("utf-8"))
    data["allowed"] = {fold(w) for w in data["allowed_words"]}
    data["jargon_folded"] = {fold(k): v for k, v in data["jargon"].items()}
    data["idioms_folded"] = {fold(k): v for k, v in data["idioms"].items()}
    return data


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int

    def words(self) -> list[re.Match[str]]:
        return list(_WORD.finditer(self.text))


def sentences(text: str) -> Iterator[Sentence]:
    for match in _SENTENCE.finditer(text):
        if match.group(0).strip():
            yield Sentence(match.group(0), match.start())


Rule = Callable[[Sentence], Iterator[Finding]]


def sentence_length(s: Sentence) -> Iterator[Finding]:
    count = len(s.words())
    end = s.start + len(s.text.rstrip())
    if count > MAX_WORDS:
        yield Finding(
            "sentence-too-long",
            "error",
            s.start,
            end,
            _("Phrase trop longue (%(n)d mots). Gardez 15 mots au plus.")
            % {"n": count},
            _("Coupez la phrase en deux."),
        )
    elif count > WARN_WORDS:
        yield Finding(
            "sentence-long",
            "warning",
            s.start,
            end,
            _("Phrase un peu longue (%(n)d mots). Visez 12 mots.") % {"n": count},
            _("Coupez la phrase en deux."),
        )


_VERB_ENDINGS = ("ons", "ez", "ent", "ais", "ait", "ions", "iez")


@cache
def familiarity(word: str) -> float:
    """wordfreq's Zipf frequency of the word or, for a conjugated verb, of its
    infinitive: « aidons » is as plain as « aider »."""
    best = zipf_frequency(word, "fr")
    for ending in _VERB_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            best = max(
                best, *(zipf_frequency(stem + end, "fr") for end in ("er", "ir", "re"))
            )
    return best


def rare_words(s: Sentence) -> Iterator[Finding]:
    lex = lexicon()
    for m in s.words():
        word = m.group(0).strip("'’-")
        folded = fold(word)
        if len(word) < 4 or word.isupper() or folded in lex["allowed"]:
            continue
        if folded in lex["jargon_folded"] or (word[0].isupper() and m.start() > 0):
            continue  # jargon has its own rule; a capital inside a sentence is a name
        if familiarity(word) < RARE_ZIPF:
            yield Finding(
                "rare-word",
                "warning",
                s.start + m.start(),
                s.start + m.end(),
                _("« %(word)s » est un mot difficile.") % {"word": word},
                _("Utilisez un mot plus courant."),
            )


def jargon(s: Sentence) -> Iterator[Finding]:
    lex = lexicon()
    folded = fold(s.text)
    for term, plain in lex["jargon_folded"].items():
        for m in re.finditer(rf"\b{re.escape(term)}\b", folded):
            yield Finding(
                "jargon",
                "warning",
                s.start + m.start(),
                s.start + m.end(),
                _("« %(word)s » est un mot administratif.")
                % {"word": s.text[m.start() : m.end()]},
                _("Dites plutôt : %(plain)s.") % {"plain": plain},
            )
    for m in _ACRONYM.finditer(s.text):
        expansion = lex["acronyms"].get(m.group(0))
        explained = s.text[m.end() : m.end() + 3].lstrip().startswith(("(", ":", ","))
        if m.group(0) in lex["acronyms"] and not explained:
            yield Finding(
                "acronym",
                "warning",
                s.start + m.start(),
                s.start + m.end(),
                _("Sigle sans explication : %(word)s.") % {"word": m.group(0)},
                _("Écrivez ce qu'il veut dire : %(plain)s.") % {"plain": expansion},
            )


def numbers_in_letters(s: Sentence) -> Iterator[Finding]:
    for m in s.words():
        if fold(m.group(0)) in _NUMBER_WORDS:
            yield Finding(
                "number-in-letters",
                "warning",
                s.start + m.start(),
                s.start + m.end(),
                _("Écrivez les nombres en chiffres."),
                _("Par exemple : 2, 15, 100."),
            )


def complex_dates(s: Sentence) -> Iterator[Finding]:
    for m in _DATE.finditer(s.text):
        yield Finding(
            "complex-date",
            "warning",
            s.start + m.start(),
            s.start + m.end(),
            _("Date difficile à lire."),
            _("Écrivez par exemple : le 12 mars 2026."),
        )


def passive_voice(s: Sentence) -> Iterator[Finding]:
    for m in _PASSIVE.finditer(s.text):
        yield Finding(
            "passive-voice",
            "warning",
            s.start + m.start(),
            s.start + m.end(),
            _("Phrase à la forme passive."),
            _("Dites qui fait l'action : « Le conseiller étudie votre dossier. »"),
        )


def negations(s: Sentence) -> Iterator[Finding]:
    found = list(_NEGATION.finditer(s.text))
    for m in found:
        level = "error" if len(found) > 1 else "warning"
        message = (
            _("Double négation : la phrase est difficile à comprendre.")
            if len(found) > 1
            else _("Phrase à la forme négative.")
        )
        yield Finding(
            "negation",
            level,
            s.start + m.start(),
            s.start + m.end(),
            message,
            _("Dites-le de façon positive si vous pouvez."),
        )


def parentheses(s: Sentence) -> Iterator[Finding]:
    for m in _PARENTHESIS.finditer(s.text):
        yield Finding(
            "parenthesis",
            "warning",
            s.start + m.start(),
            s.start + m.end(),
            _("Évitez les parenthèses."),
            _("Faites une phrase de plus."),
        )


def abbreviations(s: Sentence) -> Iterator[Finding]:
    folded = fold(s.text)
    for short, long in lexicon()["abbreviations"].items():
        for m in re.finditer(rf"(?<!\w){re.escape(fold(short))}(?!\w)", folded):
            yield Finding(
                "abbreviation",
                "warning",
                s.start + m.start(),
                s.start + m.end(),
                _("Abréviation : %(word)s.") % {"word": s.text[m.start() : m.end()]},
                _("Écrivez le mot entier : %(plain)s.") % {"plain": long},
            )


def all_caps(s: Sentence) -> Iterator[Finding]:
    acronyms = lexicon()["acronyms"]
    for m in _ACRONYM.finditer(s.text):
        if len(m.group(0)) >= 4 and m.group(0) not in acronyms:
            yield Finding(
                "all-caps",
                "warning",
                s.start + m.start(),
                s.start + m.end(),
                _("Mot écrit en majuscules."),
                _("Écrivez en minuscules."),
            )


def several_ideas(s: Sentence) -> Iterator[Finding]:
    links = list(_CONJUNCTIONS.finditer(s.text))
    if len(links) >= 2 or s.text.count(",") >= 3:
        yield Finding(
            "several-ideas",
            "warning",
            s.start,
            s.start + len(s.text.rstrip()),
            _("Plusieurs idées dans une phrase."),
            _("Une phrase = une idée."),
        )


def idioms(s: Sentence) -> Iterator[Finding]:
    folded = fold(s.text)
    for phrase, plain in lexicon()["idioms_folded"].items():
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", folded):
            yield Finding(
                "idiom",
                "warning",
                s.start + m.start(),
                s.start + m.end(),
                _("Expression imagée : tout le monde ne la comprend pas."),
                _("Dites plutôt : %(plain)s.") % {"plain": plain},
            )


RULES: tuple[Rule, ...] = (
    sentence_length,
    rare_words,
    jargon,
    numbers_in_letters,
    complex_dates,
    passive_voice,
    negations,
    parentheses,
    abbreviations,
    all_caps,
    several_ideas,
    idioms,
)


def check(text: str) -> list[Finding]:
    """Every finding, in text order."""
    findings = [f for s in sentences(text) for rule in RULES for f in rule(s)]
    return sorted(findings, key=lambda f: (f.start, f.rule))


def score(findings: list[Finding]) -> int:
    """100 for a text with nothing to fix; an error costs 15, a warning 5."""
    cost = sum(15 if f.level == "error" else 5 for f in findings)
    return max(0, 100 - cost)


def listing_text(listing: Any) -> str | None:
    """The text a listing is read by: its easy-to-read summary, else its
    description. ``listing`` is a service or a mapping of its fields (a change
    waiting for review)."""
    get = listing.get if isinstance(listing, Mapping) else partial(getattr, listing)
    for name in ("falc_summary", "description"):
        text = get(name, None)
        if isinstance(text, str) and text.strip():
            return text
    return None


def listing_score(listing: Any) -> int | None:
    """The easy-to-read score of a listing's text; None when it has no text."""
    text = listing_text(listing)
    return None if text is None else score(check(text))
