"""OSM opening hours in words, for residents: "2e et 4e mercredis du mois, 14 h – 17 h".

Covers what permanences use: weekdays, ranges and lists, nth weekdays of the
month, every other week, month ranges, several time ranges, public holidays,
closed rules, 24/7. Anything else becomes a plain "call to know" sentence: a
resident never sees opening_hours syntax (the next session is shown beside).
The text describes what opening-hours-py reads (its canonical form), not what
the author may have meant.

Grammar templates go through gettext, and each "nth weekday of the month" is a
whole phrase of its own; day and month names come from Babel; clock times,
typography (Arabic comma and semicolon) and the agreement of ordinals with the
day (Russian, Ukrainian) come from small per-locale tables. Digits stay Latin.
Easy-to-read French (falc) puts one idea per line and says times in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from babel.dates import format_date, get_day_names, get_month_names
from babel.lists import format_list

from api.i18n import _, babel_locale, get_locale, use_locale
from api.services.schedules.hours import HoursError, parse

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
MONTHS += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY = "|".join(DAYS)
_MONTH = "|".join(MONTHS)
_DAY_ITEM = rf"(?:PH|(?:{_DAY})(?:\[-?\d(?:,-?\d)*\])?(?:-(?:{_DAY}))?)"
_MONTH_ITEM = rf"(?:{_MONTH})(?:-(?:{_MONTH}))?"
_SPAN = r"\d\d:\d\d-\d\d:\d\d"
# One alternative per selector of the subset, in the library's display syntax.
_TOKEN = re.compile(
    rf"""(?P<always>24/7)
    | (?P<state>closed|off|open)
    | week(?P<week>\d\d-\d\d/2)
    | (?P<months>{_MONTH_ITEM}(?:,{_MONTH_ITEM})*)
    | (?P<days>{_DAY_ITEM}(?:,{_DAY_ITEM})*)
    | (?P<times>{_SPAN}(?:,{_SPAN})*)
    """,
    re.VERBOSE,
)
_DAY_PARTS = re.compile(rf"^(PH)$|^({_DAY})(?:\[([-\d,]+)\])?(?:-({_DAY}))?$")
_ITEM_COMMA = re.compile(r",(?![^\[]*\])")  # not the one in We[2,4]
# "; " overrides earlier rules on the days it selects, ", " adds to them.
_RULE_SEPARATOR = re.compile(r"(; |, )")
_ALL_DAY = (0, 24 * 60)


class Unsupported(ValueError):
    """A rule outside the subset we put into words."""


@dataclass(frozen=True)
class Rule:
    months: tuple[str, ...] = ()
    odd_weeks: bool | None = None  # None: every week
    days: tuple[str, ...] = ()
    times: tuple[tuple[int, int], ...] = ()  # minutes since midnight
    closed: bool = False
    always: bool = False
    overrides: bool = False  # written after "; "

    @property
    def all_day(self) -> bool:
        return not self.closed and self.times in ((), (_ALL_DAY,))


def _tokens(rule: str) -> Iterator[tuple[str, str]]:
    for word in rule.split():
        match = _TOKEN.fullmatch(word)
        if match is None or match.lastgroup is None:
            raise Unsupported(word)
        yield match.lastgroup, match.group(match.lastgroup)


def _rule(text: str, overrides: bool) -> Rule:
    found: dict[str, str] = {}
    for kind, value in _tokens(text):
        if kind in found:
            raise Unsupported(text)
        found[kind] = value
    times = found.get("times")
    return Rule(
        months=tuple(found["months"].split(",")) if "months" in found else (),
        odd_weeks=_odd_weeks(found["week"]) if "week" in found else None,
        days=tuple(_ITEM_COMMA.split(found["days"])) if "days" in found else (),
        times=tuple(_span(s) for s in times.split(",")) if times else (),
        closed=found.get("state") in ("closed", "off"),
        always="always" in found,
        overrides=overrides,
    )


def _odd_weeks(weeks: str) -> bool:
    """Whether ``weeks`` ("01-53/2") is the odd ISO weeks. Only whole-year
    ranges read as "every other week": "10-20/2" is a season, left unsaid."""
    first, last = (int(n) for n in weeks[:-2].split("-"))
    if first not in (1, 2) or last < 52:
        raise Unsupported(weeks)
    return first == 1


def _span(text: str) -> tuple[int, int]:
    h1, m1, h2, m2 = (int(n) for n in re.split("[:-]", text))
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end or end - start > 24 * 60:  # "22:00-22:00", "Tu 23:59-48:00"
        raise Unsupported(text)
    return start, end


def _rules(raw: str) -> list[Rule]:
    try:
        hours = parse(raw)
    except HoursError as error:
        raise Unsupported(raw) from error
    rules = _split(str(hours))
    if _misleading(rules):
        # Normalising rewrites "Mo-Fr 9-12; We 14-17" into rules that do not
        # overlap ("Mo-Tu,Th-Fr …; We …"), which read right in sequence.
        rules = _split(str(hours.normalize()))
    if _misleading(rules):
        raise Unsupported(raw)
    return rules


def _split(canonical: str) -> list[Rule]:
    if '"' in canonical or "||" in canonical:  # comments, fallback rules
        raise Unsupported(canonical)
    parts = _RULE_SEPARATOR.split(canonical)
    rules = [_rule(parts[0], False)]
    for separator, text in zip(parts[1::2], parts[2::2], strict=True):
        rules.append(_rule(text, separator == "; "))
    return rules


def _misleading(rules: list[Rule]) -> bool:
    """Read in sequence, the words add rules up. A "; " rule replaces earlier
    ones on its days instead: the same thing only when it closes them, or
    opens them all day."""
    return any(
        _overlap(earlier, later) and (earlier.closed or not later.all_day)
        for index, later in enumerate(rules)
        if later.overrides and not later.closed
        for earlier in rules[:index]
    )


def _overlap(a: Rule, b: Rule) -> bool:
    weeks = a.odd_weeks is None or b.odd_weeks is None or a.odd_weeks == b.odd_weeks
    return weeks and bool(_months(a) & _months(b)) and bool(_days(a) & _days(b))


def _months(rule: Rule) -> set[int]:
    found: set[int] = set()
    for item in rule.months or ("Jan-Dec",):
        first, _dash, last = item.partition("-")
        found |= _cycle(MONTHS, first, last or first)
    return found


def _days(rule: Rule) -> set[int]:
    """Weekdays a rule may select; a holiday (and "Mo[2]") may be any of them."""
    found: set[int] = set()
    for item in rule.days or ("Mo-Su",):
        match = _DAY_PARTS.match(item)
        if match is None:
            raise Unsupported(item)
        holiday, first, _nths, last = match.groups()
        found |= set(range(7)) if holiday else _cycle(DAYS, first, last or first)
    return found


def _cycle(names: tuple[str, ...], first: str, last: str) -> set[int]:
    """Indices from ``first`` to ``last``, wrapping: "Fr-Mo", "Nov-Feb"."""
    start, size = names.index(first), len(names)
    return {(start + i) % size for i in range((names.index(last) - start) % size + 1)}


# Locale conventions that are not words to translate.
def _clock_fr(minutes: int) -> str:
    h, m = divmod(minutes % (24 * 60) if minutes > 24 * 60 else minutes, 60)
    return f"{h} h" if m == 0 else f"{h} h {m:02d}"


def _range_fr(start: int, end: int) -> str:
    return f"{_clock_fr(start)} – {_clock_fr(end)}"


def clock_falc(minutes: int) -> str:
    """Easy-to-read French for a time of day: "14 heures", "9 heures 30"."""
    h, m = divmod(minutes % (24 * 60), 60)
    hour = "1 heure" if h == 1 else f"{h} heures"
    return hour if m == 0 else f"{hour} {m}"


def _range_falc(start: int, end: int) -> str:
    """ "de 14 heures à 17 heures": words a reader says aloud, no dash."""
    return f"de {clock_falc(start)} à {clock_falc(end)}"


def _clock_en(minutes: int) -> tuple[str, str]:
    h, m = divmod(minutes % (24 * 60), 60)
    return (f"{h % 12 or 12}" + (f":{m:02d}" if m else "")), ("pm" if h >= 12 else "am")


def _range_en(start: int, end: int) -> str:
    (first, first_half), (last, last_half) = _clock_en(start), _clock_en(end)
    shown = first if first_half == last_half else f"{first} {first_half}"
    return f"{shown} – {last} {last_half}"  # "2 – 5 pm", "9 am – 12 pm"


def _elide_fr(text: str) -> str:
    return re.sub(r"\bde (?=[aeiouéè])", "d'", text)  # "d'avril à juin"


def _lines_falc(text: str) -> str:
    """One idea per line, each a short sentence: "Le mardi.", "De 14 heures à
    17 heures." """
    lines = [line.strip() for line in _elide_fr(text).split("\n") if line.strip()]
    return "\n".join(f"{line[0].upper()}{line[1:]}." for line in lines)


@dataclass(frozen=True)
class Style:
    time_range: Callable[[int, int], str]
    rule_separator: str = "; "
    colon: str = ": "
    comma: str = ", "  # between the days, the weeks and the hours of a rule
    spelling: Callable[[str], str] = str


def _range_24h(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"


# Arabic-script languages (and Tigrinya below) have their own comma and semicolon.
_ARABIC_SCRIPT = Style(_range_24h, "؛ ", ": ", "، ")
STYLES = {
    "fr": Style(_range_fr, " ; ", " : ", ", ", _elide_fr),
    # Easy to read: one idea per line, no semicolon, times said in words.
    "falc": Style(_range_falc, "\n", "\n", "\n", _lines_falc),
    "en": Style(_range_en),
    "ar": _ARABIC_SCRIPT,
    "fa": _ARABIC_SCRIPT,
    "ps": _ARABIC_SCRIPT,
    "ti": Style(_range_24h, "፤ ", "፦ ", "፣ "),  # Ethiopic punctuation
}
# Other interface languages: a 24-hour clock in Latin digits, readable by
# anyone who will call or come at that time.
DEFAULT_STYLE = Style(_range_24h)

# Ordinals agree with the day in Russian and Ukrainian: the catalogs give the
# masculine phrase, and these days take the feminine or neuter ending.
_AGREEMENT: dict[str, tuple[frozenset[str], dict[str, str]]] = {
    "ru": (
        frozenset({"We", "Fr", "Sa"}),
        {
            "первый": "первая",
            "второй": "вторая",
            "третий": "третья",
            "четвёртый": "четвёртая",
            "пятый": "пятая",
            "последний": "последняя",
        },
    ),
    "uk": (
        frozenset({"We", "Fr", "Sa", "Su"}),
        {
            "перший": "перша",
            "другий": "друга",
            "третій": "третя",
            "четвертий": "четверта",
            "пʼятий": "пʼята",
            "останній": "остання",
        },
    ),
}
_NEUTER = {
    "ru": (
        frozenset({"Su"}),
        {
            "первый": "первое",
            "второй": "второе",
            "третий": "третье",
            "четвёртый": "четвёртое",
            "пятый": "пятое",
            "последний": "последнее",
        },
    )
}


def _agree(locale: str, day: str, phrase: str) -> str:
    for table in (_AGREEMENT, _NEUTER):
        days, words = table.get(locale, (frozenset(), {}))
        if day in days:
            for masculine, form in words.items():
                phrase = re.sub(rf"(?<!\w){masculine}(?!\w)", form, phrase)
    return phrase


def _nth_phrase(n: int) -> str:
    """The whole phrase for the nth weekday of the month: each its own
    message, so that every language builds it its own way."""
    phrases = {
        1: _("le 1er %(day)s du mois"),
        2: _("le 2e %(day)s du mois"),
        3: _("le 3e %(day)s du mois"),
        4: _("le 4e %(day)s du mois"),
        5: _("le 5e %(day)s du mois"),
        -1: _("le dernier %(day)s du mois"),
    }
    return phrases[n]


class Words:
    """Names and conventions of one locale; templates are translated on use."""

    def __init__(self, locale: str) -> None:
        self.locale = code = babel_locale(locale)
        self.language = code.split("_")[0]
        days, months = get_day_names(locale=code), get_month_names(locale=code)
        self.day_names = {d: str(days[i]) for i, d in enumerate(DAYS)}
        self.month_names = {m: str(months[i + 1]) for i, m in enumerate(MONTHS)}
        self.style = STYLES.get(locale) or STYLES.get(self.language, DEFAULT_STYLE)

    def join(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale) if items else ""

    def days(self, items: tuple[str, ...]) -> list[str]:
        return [phrase for item in items for phrase in self._day(item)]

    def _day(self, item: str) -> list[str]:
        match = _DAY_PARTS.match(item)
        if match is None:
            raise Unsupported(item)
        holiday, start, nths, end = match.groups()
        if holiday:
            return [_("les jours fériés")]
        if nths and end:
            raise Unsupported(item)
        if nths:
            return [
                self._shared(self.nth(int(n), start, item) for n in nths.split(","))
            ]
        if end is None:
            return [self.day_names[start]]
        if (DAYS.index(end) - DAYS.index(start)) % 7 == 1:  # "lundi et mardi"
            return [self.day_names[start], self.day_names[end]]
        return [
            _("du %(start)s au %(end)s")
            % {"start": self.day_names[start], "end": self.day_names[end]}
        ]

    def _shared(self, phrases: Iterable[str]) -> str:
        """Whole phrases joined, their common ending said once: "le 2e
        mercredi du mois" and "le 4e mercredi du mois" make "le 2e et le 4e
        mercredi du mois", in every language's own word order."""
        words = [phrase.split(" ") for phrase in phrases]
        common = 0
        while (
            common < min(map(len, words)) - 1
            and len({tuple(w[len(w) - common - 1 :]) for w in words}) == 1
        ):
            common += 1
        heads = [" ".join(w[: len(w) - common]) for w in words[:-1]]
        return self.join([*heads, " ".join(words[-1])])

    def nth(self, n: int, day: str, item: str) -> str:
        """The 1st…5th, or the last (-1), ``day`` of the month; others stay raw."""
        if n not in (1, 2, 3, 4, 5, -1):
            raise Unsupported(item)
        phrase = _agree(self.language, day, _nth_phrase(n))
        return phrase % {"day": self.day_names[day]}

    def months(self, items: tuple[str, ...]) -> str:
        phrases = []
        for first, _dash, last in (item.partition("-") for item in items):
            start, end = self.month_names[first], self.month_names.get(last)
            template = _("de %(start)s à %(end)s") if end else "%(start)s"
            phrases.append(template % {"start": start, "end": end})
        return self.join(phrases)

    def weeks(self, odd: bool | None, anchor: date | None) -> str:
        if odd is None:
            return ""
        if anchor is not None:
            return _("une semaine sur deux, à partir de la semaine du %(date)s") % {
                "date": format_date(_first_week(odd, anchor), "long", self.locale)
            }
        if odd:
            return _("une semaine sur deux (semaines impaires)")
        return _("une semaine sur deux (semaines paires)")

    def hours(self, rule: Rule) -> str:
        return self.join([self.style.time_range(*span) for span in rule.times])

    def rule(self, rule: Rule, anchor: date | None = None) -> str:
        if rule.closed:
            return self._closed(rule, anchor)
        if rule.always and not rule.days and not rule.months and rule.odd_weeks is None:
            return _("ouvert tout le temps")
        hours = _("toute la journée") if rule.all_day else self.hours(rule)
        days = self.join(self.days(rule.days))
        parts = (days, self.weeks(rule.odd_weeks, anchor), hours)
        text = self.style.comma.join(p for p in parts if p)
        if rule.months:
            return f"{self.months(rule.months)}{self.style.colon}{text}"
        return text

    def _closed(self, rule: Rule, anchor: date | None) -> str:
        if rule.days == ("PH",) and not (rule.months or rule.odd_weeks is not None):
            return _("fermé les jours fériés")
        when = [self.months(rule.months), self.weeks(rule.odd_weeks, anchor)]
        when += [self.join(self.days(rule.days)), self.hours(rule)]
        if not any(when):
            return _("fermé")
        days = self.style.comma.join(w for w in when if w)
        return _("fermé : %(days)s") % {"days": days}


def _first_week(odd: bool, anchor: date) -> date:
    """The Monday of the first week from the anchor's on which a rule of this
    parity is held (the parity holds as written in the anchor's ISO year)."""
    monday = anchor - timedelta(days=anchor.weekday())
    same = anchor.isocalendar().week % 2 == (1 if odd else 0)
    return monday if same else monday + timedelta(days=7)


@lru_cache(maxsize=32)
def _words(locale: str) -> Words:
    return Words(locale)


@lru_cache(maxsize=4096)
def in_words(raw: str, locale: str, anchor: date | None = None) -> str | None:
    """``raw`` in words in ``locale``, or None outside the subset we put into
    words. Cached: listings share a few dozen schedules, and the catalogs do
    not change while running."""
    with use_locale(locale):
        try:
            # The locale use_locale settled on: French for one we do not offer.
            words = _words(get_locale())
            rules = [words.rule(rule, anchor) for rule in _rules(raw)]
            return words.style.spelling(words.style.rule_separator.join(rules))
        except (ValueError, LookupError):  # Unsupported, or a gap in the subset
            return None


def describe(raw: str, locale: str, anchor: date | None = None) -> str:
    """``raw`` in words for a resident; never raises, and never shows the raw
    string: outside the subset, a plain sentence (the next session, computed
    from the string, is shown beside it). ``anchor``: see
    Permanence.biweekly_anchor."""
    words = in_words(raw, locale, anchor)
    if words is not None:
        return words
    with use_locale(locale):
        return _("Horaires particuliers : appelez pour les connaître.")
