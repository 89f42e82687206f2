"""OSM opening hours in words, for residents: "2e et 4e mercredis du mois, 14 h – 17 h".

Covers what permanences use: weekdays, ranges and lists, nth weekdays of the
month, every other week, month ranges, several time ranges, public holidays,
closed rules, 24/7. Anything else falls back to the raw string behind a label,
so a schedule is always shown. The text describes what opening-hours-py reads
(its canonical form), not what the author may have meant.

Grammar templates go through gettext; day and month names come from Babel;
ordinals, clock times and typography come from a small per-locale table (French
for any locale without one). Digits stay Latin.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import get_day_names, get_month_names
from babel.lists import format_list

from api.i18n import _, babel_locale, get_locale, use_locale
from api.services.hours import HoursError, parse

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
        first, last = item[:2], item.rpartition("-")[2] if "-" in item else item[:2]
        found |= set(range(7)) if first == "PH" else _cycle(DAYS, first, last)
    return found


def _cycle(names: tuple[str, ...], first: str, last: str) -> set[int]:
    """Indices from ``first`` to ``last``, wrapping: "Fr-Mo", "Nov-Feb"."""
    start, size = names.index(first), len(names)
    return {(start + i) % size for i in range((names.index(last) - start) % size + 1)}


# Locale conventions that are not words to translate.
def _ordinal_fr(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def _ordinal_en(n: int) -> str:
    teen = 10 <= n % 100 <= 20
    return f"{n}{'th' if teen else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _clock_fr(minutes: int) -> str:
    h, m = divmod(minutes % (24 * 60) if minutes > 24 * 60 else minutes, 60)
    return f"{h} h" if m == 0 else f"{h} h {m:02d}"


def _range_fr(start: int, end: int) -> str:
    return f"{_clock_fr(start)} – {_clock_fr(end)}"


def _clock_en(minutes: int) -> tuple[str, str]:
    h, m = divmod(minutes % (24 * 60), 60)
    return (f"{h % 12 or 12}" + (f":{m:02d}" if m else "")), ("pm" if h >= 12 else "am")


def _range_en(start: int, end: int) -> str:
    (first, first_half), (last, last_half) = _clock_en(start), _clock_en(end)
    shown = first if first_half == last_half else f"{first} {first_half}"
    return f"{shown} – {last} {last_half}"  # "2 – 5 pm", "9 am – 12 pm"


def _elide_fr(text: str) -> str:
    return re.sub(r"\bde (?=[aeiouéè])", "d'", text)  # "d'avril à juin"


@dataclass(frozen=True)
class Style:
    ordinal: Callable[[int], str]
    time_range: Callable[[int, int], str]
    rule_separator: str
    colon: str
    spelling: Callable[[str], str] = str


def _range_24h(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"


STYLES = {
    "fr": Style(_ordinal_fr, _range_fr, " ; ", " : ", _elide_fr),
    "en": Style(_ordinal_en, _range_en, "; ", ": "),
}
# Other interface languages: plain numbers and a 24-hour clock in Latin digits,
# readable by anyone who will call or come at that time.
DEFAULT_STYLE = Style(str, _range_24h, "; ", ": ")


class Words:
    """Names and conventions of one locale; templates are translated on use."""

    def __init__(self, locale: str) -> None:
        self.locale = code = babel_locale(locale)
        days, months = get_day_names(locale=code), get_month_names(locale=code)
        self.day_names = {d: str(days[i]) for i, d in enumerate(DAYS)}
        self.month_names = {m: str(months[i + 1]) for i, m in enumerate(MONTHS)}
        self.style = STYLES.get(code, DEFAULT_STYLE)

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
            numbers = nths.split(",")
            template = (
                _("%(nths)s %(day)s du mois")
                if len(numbers) == 1
                else _("%(nths)s %(day)ss du mois")
            )
            ordinals = self.join([self.nth(int(n), item) for n in numbers])
            return [template % {"nths": ordinals, "day": self.day_names[start]}]
        if end is None:
            return [self.day_names[start]]
        if (DAYS.index(end) - DAYS.index(start)) % 7 == 1:  # "lundi et mardi"
            return [self.day_names[start], self.day_names[end]]
        return [
            _("du %(start)s au %(end)s")
            % {"start": self.day_names[start], "end": self.day_names[end]}
        ]

    def nth(self, n: int, item: str) -> str:
        """1st…5th, or the last (-1) weekday of the month; others stay raw."""
        if n == -1:
            return _("dernier")
        if not 1 <= n <= 5:
            raise Unsupported(item)
        return self.style.ordinal(n)

    def months(self, items: tuple[str, ...]) -> str:
        phrases = []
        for first, _dash, last in (item.partition("-") for item in items):
            start, end = self.month_names[first], self.month_names.get(last)
            template = _("de %(start)s à %(end)s") if end else "%(start)s"
            phrases.append(template % {"start": start, "end": end})
        return self.join(phrases)

    def weeks(self, odd: bool | None) -> str:
        if odd is None:
            return ""
        if odd:
            return _("une semaine sur deux (semaines impaires)")
        return _("une semaine sur deux (semaines paires)")

    def hours(self, rule: Rule) -> str:
        return self.join([self.style.time_range(*span) for span in rule.times])

    def rule(self, rule: Rule) -> str:
        if rule.closed:
            return self._closed(rule)
        if rule.always and not rule.days and not rule.months and rule.odd_weeks is None:
            return _("ouvert tout le temps")
        hours = _("toute la journée") if rule.all_day else self.hours(rule)
        days = self.join(self.days(rule.days))
        text = ", ".join(p for p in (days, self.weeks(rule.odd_weeks), hours) if p)
        if rule.months:
            return f"{self.months(rule.months)}{self.style.colon}{text}"
        return text

    def _closed(self, rule: Rule) -> str:
        if rule.days == ("PH",) and not (rule.months or rule.odd_weeks is not None):
            return _("fermé les jours fériés")
        when = [self.months(rule.months), self.weeks(rule.odd_weeks)]
        when += [self.join(self.days(rule.days)), self.hours(rule)]
        if not any(when):
            return _("fermé")
        return _("fermé : %(days)s") % {"days": ", ".join(w for w in when if w)}


@lru_cache(maxsize=32)
def _words(locale: str) -> Words:
    return Words(locale)


@lru_cache(maxsize=4096)
def describe(raw: str, locale: str) -> str:
    """``raw`` in words in ``locale``; never raises. Cached: listings share a
    few dozen schedules, and the catalogs do not change while running."""
    with use_locale(locale):
        try:
            # The locale use_locale settled on: French for one we do not offer.
            words = _words(get_locale())
            text = words.style.rule_separator.join(map(words.rule, _rules(raw)))
            return words.style.spelling(text)
        except (ValueError, LookupError):  # Unsupported, or a gap in the subset
            return _("Horaires : %(hours)s") % {"hours": raw.strip()}
