"""A checker for easy-to-read French (FALC, « facile à lire et à comprendre »).

Each rule looks for one thing that makes a text hard for people who read with
difficulty, and explains it in plain words with a suggestion. Findings carry
the span of text they are about, so forms can underline it. Thresholds follow
the European easy-to-read guidelines (Inclusion Europe): short sentences, one
idea each, common words, digits but no big numbers or percentages, verbs in the
present and the active voice, positive phrasing, no parentheses, signs or
abbreviations, lists as lists.

The score weighs each finding by how much it hurts a reader (COSTS); its
calibration is measured by ``python -m bench.falc`` on labelled sets.
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

LEXICON = Path(__file__).resolve().parents[3] / "data" / "falc" / "lexicon.json"
WARN_WORDS, MAX_WORDS = 12, 15
RARE_ZIPF = 3.5
# Below this score the partner dashboard shows the "low" badge
# (web/templates/espace/_falc_findings.html).
LOW_SCORE = 60

_LETTER = r"A-Za-zÀ-ÖØ-öø-ÿœŒ"
# A quotation (an example to type), a phone number, a number (thousands apart,
# ordinal "2e", "14:00-17:00"), or a word (with its elision, hyphens, and the
# underscores of a code name like opening_hours): each is read as one word.
_WORD = re.compile(
    r"«[^»]*»"
    r"|0\d(?:[ .\u00a0]\d\d){4}"
    r"|\d+(?:[\u00a0\u202f ]\d{3})*(?:[-/:.,h]\d+)*(?:er|re|ère|ème|e|es)?(?![\w])"
    rf"|[{_LETTER}](?:[{_LETTER}\d_'’·-]*[{_LETTER}\d_])?"
)
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
_BULLET = re.compile(r"^\s*(?:[-–•*▪·]|\d+[.)])\s+")
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_NUMBER_WORDS = (
    "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize vingt trente quarante cinquante soixante cent cents mille"
).split()
_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\btrimestre\b|\bsemestre\b|\ben date du\b"
    r"|\bsusmentionn\w*|\bpériode du\b",
    re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"\([^)]*\)")
_CAPS = re.compile(r"(?<!\w)[A-ZÀ-Ý]{2,}(?!\w)")
_ROMAN = re.compile(r"^[IVX]+$")
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
    data["loanwords_folded"] = {fold(w) for w in data["loanwords"]}
    data["jargon_folded"] = {fold(k): v for k, v in data["jargon"].items()}
    data["idioms_folded"] = {fold(k): v for k, v in data["idioms"].items()}
    data["stative"] = {fold(w) for w in data["stative_participles"]}
    data["known"] = data["allowed"] | data["jargon_folded"].keys()
    # One pattern a list, longest terms first: « au sein des » before « au sein
    # de »; a plural « s » is allowed after a word.
    data["jargon_pattern"] = _alternation(data["jargon_folded"], plural=True)
    data["idioms_pattern"] = _alternation(data["idioms_folded"], plural=False)
    return data


def _alternation(terms: Mapping[str, str], plural: bool) -> re.Pattern[str]:
    def one(term: str) -> str:
        if not term[-1].isalnum():
            return re.escape(term)
        return re.escape(term) + (r"s?\b" if plural else r"\b")

    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(one, ordered)) + ")")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    document: str = ""  # the whole text, for what a sentence explains to another

    def words(self) -> list[re.Match[str]]:
        """Its words, a number or a phone number counting as one; not a bullet."""
        bullet = _BULLET.match(self.text)
        return list(_WORD.finditer(self.text, bullet.end() if bullet else 0))


def sentences(text: str) -> Iterator[Sentence]:
    """Each line is read apart (a bulleted list is one item a line), then cut
    after a full stop, a question or an exclamation mark followed by a space (so
    "data.gouv.fr" stays whole)."""
    offset = 0
    for line in text.splitlines(keepends=True):
        cut = 0
        for end in _SENTENCE_END.finditer(line):
            yield from _sentence(text, offset + cut, line[cut : end.end()])
            cut = end.end()
        yield from _sentence(text, offset + cut, line[cut:])
        offset += len(line)


def _sentence(document: str, start: int, text: str) -> Iterator[Sentence]:
    text = text.rstrip("\r\n")
    if text.strip():
        yield Sentence(text, start, document)


Rule = Callable[[Sentence], Iterator[Finding]]


def _finding(
    rule: str, s: Sentence, m: re.Match[str] | tuple[int, int], message: str, hint: str
) -> Finding:
    start, end = m if isinstance(m, tuple) else m.span()
    return Finding(rule, "warning", s.start + start, s.start + end, message, hint)


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


def bare(word: str) -> str:
    """The word without its elision (l’, d', qu'...) and outer hyphens."""
    return _ELISION.sub("", word).strip("'’-")


def _forms(word: str) -> Iterator[str]:
    """The word and the forms it may come from: singular, infinitive."""
    yield word
    if word.endswith(("s", "x")) and len(word) > 4:
        yield word[:-1]
    for stem in {word, word.rstrip("s")}:
        for ending, bases in _INFLECTIONS:
            if stem.endswith(ending) and len(stem) > len(ending) + 2:
                root = stem[: -len(ending)]
                yield from (root + base for base in bases)


# Endings of conjugated verbs and participles, and the infinitives they come
# from: « supprimées » is as plain as « supprimer », « remplissez » as « remplir ».
_INFLECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("issez", ("ir",)),
    ("issons", ("ir",)),
    ("issent", ("ir",)),
    ("ons", ("er", "ir", "re", "dre", "oir")),
    ("ez", ("er", "ir", "re", "dre", "oir")),
    ("ent", ("er", "ir", "re", "dre", "oir")),
    ("ais", ("er", "ir", "re")),
    ("ait", ("er", "ir", "re")),
    ("ions", ("er", "ir", "re")),
    ("iez", ("er", "ir", "re")),
    ("ée", ("er",)),
    ("é", ("er",)),
    ("ie", ("ir",)),
    ("i", ("ir",)),
    ("ue", ("re", "ire", "oir", "ir")),
    ("u", ("re", "ire", "oir", "ir")),
    ("ite", ("ire",)),
    ("it", ("ire",)),
    ("ise", ("ettre", "endre")),
    ("is", ("ettre", "endre", "ir")),
    ("erte", ("rir",)),
    ("rice", ("eur",)),
    ("ert", ("rir",)),
)


# The pronoun after an imperative or an inverted verb: « Appelez-nous ».
_ENCLITIC = re.compile(
    r"(?:-t)?-(?:vous|nous|moi|toi|le|la|les|lui|leur|y|en|il|elle|ils|elles|on|ce)$",
    re.IGNORECASE,
)


@cache
def familiarity(word: str) -> float:
    """wordfreq's Zipf frequency of the word or of the plainest form it comes
    from: « aidons » is as plain as « aider », « relu » as « relire »."""
    return max(zipf_frequency(form, "fr") for form in _forms(word.lower()))


def _is_name(s: Sentence, m: re.Match[str], word: str) -> bool:
    """A capital inside a sentence (or after an elision) marks a name."""
    inside = m.start() > (_BULLET.match(s.text) or re.match(r"\s*", s.text)).end()
    return word[0].isupper() and (inside or word != m.group(0))


def _quoted(s: Sentence) -> list[tuple[int, int]]:
    """Spans of « quotations »: examples to type as they are."""
    return [m.span() for m in re.finditer(r"«[^»]*»", s.text)]


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


def _plain_word(s: Sentence, m: re.Match[str]) -> str | None:
    """The word to judge for rarity, or None when it is not for this rule: a
    quotation, a number, a code name, a short word, an acronym, a name, part of
    a web address (data.gouv.fr), jargon, a word of the allowed list."""
    word = bare(m.group(0))
    glued = s.text[m.start() - 1 : m.start()] + s.text[m.end() : m.end() + 2]
    if (
        len(word) < 4
        or word.startswith("«")
        or any(c.isdigit() or c in "_·" for c in word)
        or word.isupper()
        or _is_name(s, m, word)
        or re.search(r"^\.|\.\w", glued)
    ):
        return None
    folded = fold(word)
    lex = lexicon()
    if {folded, folded.removesuffix("s")} & lex["known"]:
        return None
    return word


def _is_foreign(word: str) -> bool:
    """Much more common in English than in French, and not a loanword readers
    know (e-mail, parking): « workshop », « until »."""
    lower = word.lower()
    if lower != fold(lower) or fold(lower) in lexicon()["loanwords_folded"]:
        return False  # an accent is French
    french = zipf_frequency(lower, "fr")
    return french < 3.6 and zipf_frequency(lower, "en") - french >= 0.8


def rare_words(s: Sentence) -> Iterator[Finding]:
    for m in s.words():
        word = _plain_word(s, m)
        if word is None or _is_foreign(word) or _CONDITIONAL.fullmatch(word):
            continue  # a conditional has its own finding
        if familiarity(_ENCLITIC.sub("", word)) < RARE_ZIPF:
            yield _finding(
                "rare-word",
                s,
                m,
                _("« %(word)s » est un mot difficile.") % {"word": word},
                _("Utilisez un mot plus courant."),
            )


def foreign_words(s: Sentence) -> Iterator[Finding]:
    for m in s.words():
        word = _plain_word(s, m)
        if word is not None and _is_foreign(word):
            yield _finding(
                "foreign-word",
                s,
                m,
                _("« %(word)s » est un mot étranger.") % {"word": word},
                _("Utilisez un mot français."),
            )


def jargon(s: Sentence) -> Iterator[Finding]:
    lex = lexicon()
    folded = fold(s.text)
    quoted = _quoted(s)
    for m in lex["jargon_pattern"].finditer(folded):
        if _inside(quoted, m.start()):
            continue
        term = m.group(0)
        plain = lex["jargon_folded"].get(term) or lex["jargon_folded"][term[:-1]]
        yield _finding(
            "jargon",
            s,
            m,
            _("« %(word)s » est un mot administratif.")
            % {"word": s.text[m.start() : m.end()]},
            _("Dites plutôt : %(plain)s.") % {"plain": plain},
        )


def _explained(acronym: str, s: Sentence, m: re.Match[str]) -> bool:
    """Right after it (« CAF (Caisse…) », « CAF : … », « CAF, c'est… »), right
    before it (« …familiales (CAF) »), or anywhere in the text (« CAF veut dire…
    », « Le CCAS est le service… »). A comma alone is no explanation: « CAF,
    CPAM, ANTS » is a list."""
    after = s.text[m.end() :].lstrip()
    if after.startswith(("(", ":", "—", "–")) or re.match(
        r",\s*(?:c'|c’|le |la |l'|l’|les |un |une )", after
    ):
        return True
    if re.search(r"\(\s*$", s.text[: m.start()]) and len(s.text[: m.start()]) > 10:
        return True
    name = re.escape(acronym)
    return bool(
        re.search(
            rf"\b{name}\s+(?:veut dire|signifie|est (?:le|la|l['’]|un|une)|sont les)"
            rf"|(?:\bLe|\bLa|\bL['’]|\bLes)\s*{name}\s+(?:est|sont|veut dire)\b",
            s.document or s.text,
        )
    )


def _shouted(word: str) -> bool:
    """A French word in capitals (FERMETURE), not an acronym (RGAA, INSEE)."""
    lex = lexicon()
    return (
        len(word) >= 4
        and word not in lex["acronyms"]
        and word not in lex["common_acronyms"]
        and zipf_frequency(word.lower(), "fr") >= 4.0
    )


def acronyms(s: Sentence) -> Iterator[Finding]:
    lex = lexicon()
    quoted = _quoted(s)
    for m in _CAPS.finditer(s.text):
        word = m.group(0)
        if (
            _inside(quoted, m.start())
            or word in lex["common_acronyms"]
            or _ROMAN.match(word)
            or _shouted(word)
            or _explained(word, s, m)
        ):
            continue
        expansion = lex["acronyms"].get(word)
        yield _finding(
            "acronym" if expansion else "unknown-acronym",
            s,
            m,
            _("Sigle sans explication : %(word)s.") % {"word": word},
            _("Écrivez ce qu'il veut dire : %(plain)s.") % {"plain": expansion}
            if expansion
            else _("Écrivez ce qu'il veut dire, dans la phrase ou juste après."),
        )


def all_caps(s: Sentence) -> Iterator[Finding]:
    for m in _CAPS.finditer(s.text):
        if _shouted(m.group(0)):
            yield _finding(
                "all-caps",
                s,
                m,
                _("Mot écrit en majuscules."),
                _("Écrivez en minuscules."),
            )


def numbers_in_letters(s: Sentence) -> Iterator[Finding]:
    for m in s.words():
        if fold(m.group(0)) in _NUMBER_WORDS:
            yield _finding(
                "number-in-letters",
                s,
                m,
                _("Écrivez les nombres en chiffres."),
                _("Par exemple : 2, 15, 100."),
            )


_PERCENT = re.compile(
    r"\d+(?:[,.]\d+)?\s*%|\bpour ?cent\b|\bpourcentage", re.IGNORECASE
)
# A number with thousands apart (1 500, 12 000), or of 4 digits and more that
# counts something (2500 €); not a year, a phone or an emergency number.
_BIG_NUMBER = re.compile(
    r"(?<!\d)(?<!\d[\u00a0\u202f ])\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?![\d])"
    r"|\b\d{4,}(?=\s*(?:€|euros?|personnes|ménages|foyers|familles|habitants"
    r"|bénéficiaires|repas|colis|heures|km)\b|\s*€)",
    re.IGNORECASE,
)


def numbers(s: Sentence) -> Iterator[Finding]:
    for m in _PERCENT.finditer(s.text):
        yield _finding(
            "percentage",
            s,
            m,
            _("Pourcentage : difficile à comprendre."),
            _("Dites par exemple : « la moitié », « 1 personne sur 10 »."),
        )
    for m in _BIG_NUMBER.finditer(s.text):
        if not re.fullmatch(r"(?:19|20)\d\d", m.group(0)):
            yield _finding(
                "big-number",
                s,
                m,
                _("Grand nombre : difficile à imaginer."),
                _("Arrondissez, ou dites « beaucoup »."),
            )


def complex_dates(s: Sentence) -> Iterator[Finding]:
    quoted = _quoted(s)  # « 25/12/2027 »: how to type a date in a form
    for m in _DATE.finditer(s.text):
        if _inside(quoted, m.start()):
            continue
        yield _finding(
            "complex-date",
            s,
            m,
            _("Date difficile à lire."),
            _("Écrivez par exemple : le 12 mars 2026."),
        )


_ETRE = (
    r"(?:est|sont|es|suis|sommes|êtes|était|étaient|étiez|sera|seront|serez|serons"
    r"|serait|seraient|soit|soient|sois|être|été|a été|ont été|avez été|sera été)"
)
# « être » and a participle; the participle is checked by _is_participle.
_PASSIVE = re.compile(
    rf"(?<![\w'’])(?<!s')(?<!s’)(?<!se )(?<!m')(?<!t'){_ETRE}"
    rf"\s+(?:(?:pas|plus|jamais|toujours|souvent|déjà|bien|aussi|ensuite|alors)\s+)?"
    rf"([{_LETTER}]+)\b",
    re.IGNORECASE,
)
_IRREGULAR = re.compile(
    r"(?:pris|mis|requis|acquis|inscrit|écrit|conduit|produit|réduit|dit|fait|interdit"
    r"|offert|ouvert|couvert|reçu|tenu|prévu|vu|connu|rendu|attendu|entendu|perdu"
    r"|vendu|suivi|exclu|inclus|soumis|transmis|permis|admis|remis|promis|compris"
    r"|obtenu|retenu|soutenu|maintenu|détenu|contenu|pourvu|dû)(?:e|s|es)?",
    re.IGNORECASE,
)


def _is_participle(word: str) -> bool:
    folded = fold(word)
    if folded in lexicon()["stative"] or len(word) < 3:
        return False
    if _IRREGULAR.fullmatch(word):
        return True
    stem = re.sub(r"(?:es|e|s)$", "", word) if len(word) > 4 else word
    if stem.endswith("é"):
        return zipf_frequency(stem[:-1] + "er", "fr") >= 2.5
    if stem.endswith("i") and len(stem) > 3:
        return zipf_frequency(stem + "r", "fr") >= 2.5
    if stem.endswith("it") and len(stem) > 4:  # instruit, construit
        return zipf_frequency(stem[:-1] + "re", "fr") >= 2.5
    return False


def passive_voice(s: Sentence) -> Iterator[Finding]:
    spans = [m for m in _PASSIVE.finditer(s.text) if _is_participle(m.group(1))]
    seen: set[int] = set()
    for m in sorted(spans, key=lambda m: m.start()):
        if m.end(1) in seen:
            continue
        seen.add(m.end(1))
        yield _finding(
            "passive-voice",
            s,
            (m.start(), m.end(1)),
            _("Phrase à la forme passive."),
            _("Dites qui fait l'action : « Le conseiller étudie votre dossier. »"),
        )


# Negations that readers misread. A plain « ne … pas » in a short sentence is
# understood; it only counts towards a double negation.
_NE = r"(?:\bne\b|\bn['’])"
_HARD_NEGATIONS = (
    # « Aucune demande ne… », « Personne ne… », « Rien ne… »: negative subject
    # (not « cette personne ne… »).
    re.compile(
        r"(?<!\bla )(?<!\bune )(?<!\bcette )(?<!\bchaque )(?<!\btoute )"
        rf"(?<!\bde )(?<!\bd')(?<!\bd’)(?<!\bcette )(?<!\bune )"
        rf"\b(?:aucun|aucune|personne|rien|nul|nulle)\b[^,;:]*?{_NE}",
        re.IGNORECASE,
    ),
    # « ne … que » means "only": read as a negation.
    re.compile(rf"{_NE}\s*(?:[\w’']+\s+){{0,3}}?qu(?:e\b|['’])", re.IGNORECASE),
    re.compile(r"\bni\b", re.IGNORECASE),
    # « non justifiée », « non-résidents ».
    re.compile(rf"\bnon[\s-](?=[{_LETTER}]{{3,}})(?!plus\b)", re.IGNORECASE),
)
_NE_PAS = re.compile(
    rf"{_NE}\s*(?:[\w’']+\s+|\w+['’]){{0,4}}?"
    r"(?:pas|plus|jamais|rien|personne|aucun|aucune|guère|nulle part)\b",
    re.IGNORECASE,
)
_NE_ONLY = re.compile(rf"{_NE}\s*[\w’']+", re.IGNORECASE)
# « sans » alone is no hard negation (« sans rendez-vous »); with another one,
# it makes a double negation.
_SANS = re.compile(r"\bsans\b", re.IGNORECASE)
_NEGATIVE_WORDS = re.compile(
    r"\b(?:impossible|interdite?s?|inutiles?|incomplète?s?|incomplets)\b",
    re.IGNORECASE,
)


def negations(s: Sentence) -> Iterator[Finding]:
    hard = [m for pattern in _HARD_NEGATIONS for m in pattern.finditer(s.text)]
    plain = list(_NE_PAS.finditer(s.text))
    covered = [(m.start(), m.end()) for m in hard + plain]
    # A « ne » with no « pas » after it (« ils ne pourront être accueillis »).
    hard += [
        m
        for m in _NE_ONLY.finditer(s.text)
        if not any(a <= m.start() < b for a, b in covered)
    ]
    others = list(_SANS.finditer(s.text)) + list(_NEGATIVE_WORDS.finditer(s.text))
    double = len(hard) + len(plain) + (len(others) if hard or plain else 0) > 1
    for m in sorted(hard + (plain + others if double else []), key=lambda m: m.start()):
        yield Finding(
            "negation",
            "error" if double else "warning",
            s.start + m.start(),
            s.start + m.end(),
            _("Double négation : la phrase est difficile à comprendre.")
            if double
            else _("Phrase à la forme négative."),
            _("Dites-le de façon positive si vous pouvez."),
        )


# The future stem and an ending of the past: « pourrait », « aimerions »; not
# « préparait » (an imperfect) nor « frais ».
_CONDITIONAL = re.compile(
    rf"\b[{_LETTER}]+[eiudtvr]r(?:ais|ait|ions|iez|aient)\b", re.IGNORECASE
)
_SUBJUNCTIVE = re.compile(
    r"\b(?:il faut|il faudrait|faut-il|afin|pour|bien|avant|sans|à condition"
    r"|sous réserve|de sorte|à moins|pourvu|il est (?:\w+ )?"
    r"(?:nécessaire|impératif|important|souhaitable|obligatoire|indispensable|"
    r"possible|demandé|recommandé))\s+qu(?:e\b|['’])"
    r"|\bqu(?:e\b|['’])\s*(?:\w+\s+){0,3}?"
    r"(?:soit|soient|sois|ait|aient|puisse|puissent|fasse|fassent|aille|aillent"
    r"|sache|sachent|veuille|veuillent|doive|doivent|prenne|prennent|vienne)\b",
    re.IGNORECASE,
)


def verb_moods(s: Sentence) -> Iterator[Finding]:
    not_conditional = lexicon()["not_conditional"]
    for m in _CONDITIONAL.finditer(s.text):
        if fold(m.group(0)) not in not_conditional:
            yield _finding(
                "conditional",
                s,
                m,
                _("Verbe au conditionnel : la phrase est moins claire."),
                _("Écrivez au présent : « Vous pouvez… »."),
            )
    for m in _SUBJUNCTIVE.finditer(s.text):
        yield _finding(
            "subjunctive",
            s,
            m,
            _("Verbe au subjonctif : la phrase est compliquée."),
            _("Faites une phrase simple : « Vous devez… »."),
        )


def parentheses(s: Sentence) -> Iterator[Finding]:
    quoted = _quoted(s)
    for m in _PARENTHESIS.finditer(s.text):
        if _inside(quoted, m.start()):
            continue
        yield _finding(
            "parenthesis",
            s,
            m,
            _("Évitez les parenthèses."),
            _("Faites une phrase de plus."),
        )


# « / » between words (FLE/alpha, et/ou), « & », brackets, signs; a point
# médian of inclusive writing (usager·ère·s). Not in addresses, e-mails, dates.
_SPECIAL = re.compile(
    rf"(?<=[{_LETTER}])\s?/\s?(?=[{_LETTER}])|[&#*+=<>|\[\]{{}}~^\\]"
    rf"|·(?=[{_LETTER}]{{1,4}}\b)",
)
_LINK = re.compile(r"\S+@\S+|\bhttps?://\S+|\bwww\.\S+|\S+\.(?:fr|org|com|gouv)\S*")


def special_characters(s: Sentence) -> Iterator[Finding]:
    links = [m.span() for m in _LINK.finditer(s.text)]
    quoted = [m.span() for m in re.finditer(r"«[^»]*»", s.text)]
    for m in _SPECIAL.finditer(s.text):
        if any(a <= m.start() < b for a, b in links + quoted):
            continue
        if m.group(0) == "*" and _BULLET.match(s.text[: m.end() + 1]):
            continue
        sign = m.group(0).strip()
        yield _finding(
            "special-character",
            s,
            m,
            _("Signe difficile à lire : %(sign)s") % {"sign": sign},
            _("Écrivez des mots : « et », « ou »."),
        )


def abbreviations(s: Sentence) -> Iterator[Finding]:
    folded = fold(s.text)
    for short, long in lexicon()["abbreviations"].items():
        for m in re.finditer(rf"(?<!\w){re.escape(fold(short))}(?!\w)", folded):
            yield _finding(
                "abbreviation",
                s,
                m,
                _("Abréviation : %(word)s.") % {"word": s.text[m.start() : m.end()]},
                _("Écrivez le mot entier : %(plain)s.") % {"plain": long},
            )


def several_ideas(s: Sentence) -> Iterator[Finding]:
    quoted = _quoted(s)
    links = [
        m for m in _CONJUNCTIONS.finditer(s.text) if not _inside(quoted, m.start())
    ]
    if len(links) >= 2:
        yield _finding(
            "several-ideas",
            s,
            (0, len(s.text.rstrip())),
            _("Plusieurs idées dans une phrase."),
            _("Une phrase = une idée."),
        )


def enumerations(s: Sentence) -> Iterator[Finding]:
    """4 items and more in a sentence (« a, b, c et d ») make a list."""
    items = s.text.count(",") + 1
    last = s.text[s.text.rfind(",") + 1 :] if "," in s.text else ""
    if re.search(r"\b(?:et|ou)\b", last):
        items += 1
    if items >= 4:
        yield _finding(
            "enumeration",
            s,
            (0, len(s.text.rstrip())),
            _("Longue liste dans une phrase."),
            _("Faites une liste : une chose par ligne."),
        )


# Nouns made from verbs, as forms and reports start their lines with.
_NOMINAL = re.compile(
    r"^(?:\w+(?:tion|sion|ment|age|ance|ence|ité|ure)s?"
    r"|aide|accueil|soutien|lutte|mise|prise|test|suivi|appui|écoute|accès|halte)$",
    re.IGNORECASE,
)
_FINITE = re.compile(
    r"(?:^|\s)(?:je|j'|tu|il|elle|on|nous|vous|ils|elles|c'|ça|qui|qu'il)(?=\s|\w)"
    r"|\b(?:est|sont|a|ont|va|vont|fait|font|peut|peuvent|doit|doivent|sera"
    r"|seront)\b|\b\w+(?:ez|ons)\b",
    re.IGNORECASE,
)


def no_verb(s: Sentence) -> Iterator[Finding]:
    """A long sentence with no verb that starts with a noun made from a verb,
    the style of forms and reports (« Accompagnement des bénéficiaires dans
    leurs démarches administratives. »): say who does what instead."""
    words = s.words()
    if len(words) < 8 or _BULLET.match(s.text) or s.text.rstrip()[-1] not in ".!…":
        return  # short, an item of a list, or a title
    if not _NOMINAL.match(words[0].group(0)) or _FINITE.search(
        s.text.replace("’", "'")
    ):
        return
    yield _finding(
        "no-verb",
        s,
        (0, len(s.text.rstrip())),
        _("Phrase sans verbe."),
        _("Dites qui fait quoi : « Nous vous aidons à… »."),
    )


def idioms(s: Sentence) -> Iterator[Finding]:
    lex = lexicon()
    for m in lex["idioms_pattern"].finditer(fold(s.text)):
        yield _finding(
            "idiom",
            s,
            m,
            _("Expression imagée : tout le monde ne la comprend pas."),
            _("Dites plutôt : %(plain)s.")
            % {"plain": lex["idioms_folded"][m.group(0)]},
        )


RULES: tuple[Rule, ...] = (
    sentence_length,
    rare_words,
    foreign_words,
    jargon,
    acronyms,
    all_caps,
    numbers_in_letters,
    numbers,
    complex_dates,
    passive_voice,
    negations,
    verb_moods,
    parentheses,
    special_characters,
    abbreviations,
    several_ideas,
    enumerations,
    no_verb,
    idioms,
)


def check(text: str) -> list[Finding]:
    """Every finding, in text order."""
    findings = [f for s in sentences(text) for rule in RULES for f in rule(s)]
    return sorted(findings, key=lambda f: (f.start, f.rule))


# What a finding costs the score, by rule: what stops a reader (jargon, an
# unknown acronym, a passive, a hard negation, a conditional) costs more than
# LOW_SCORE leaves, so that one is enough for the "low" badge; what slows a
# reader (a rare word, a known acronym, a sentence without verb) takes two.
# Tuned on tests/data/falc_sentences.tsv; measured by ``python -m bench.falc``.
SERIOUS, MEDIUM, LIGHT = 45, 25, 15
COSTS: dict[str, int] = {
    "sentence-too-long": SERIOUS,
    "sentence-long": MEDIUM,
    "rare-word": MEDIUM,
    "foreign-word": SERIOUS,
    "jargon": SERIOUS,
    "acronym": MEDIUM,
    "unknown-acronym": SERIOUS,
    "all-caps": MEDIUM,
    "number-in-letters": LIGHT,
    "percentage": SERIOUS,
    "big-number": MEDIUM,
    "complex-date": SERIOUS,
    "passive-voice": SERIOUS,
    "negation": SERIOUS,
    "conditional": SERIOUS,
    "subjunctive": SERIOUS,
    "parenthesis": MEDIUM,
    "special-character": SERIOUS,
    "abbreviation": MEDIUM,
    "several-ideas": MEDIUM,
    "enumeration": MEDIUM,
    "no-verb": MEDIUM,
    "idiom": SERIOUS,
}
ERROR_COST = SERIOUS


def score(findings: list[Finding]) -> int:
    """100 for a text with nothing to fix, 0 at worst; under LOW_SCORE, the text
    is not easy to read."""
    cost = sum(ERROR_COST if f.level == "error" else COSTS[f.rule] for f in findings)
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
