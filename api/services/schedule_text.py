"""OSM opening hours in words, for residents: "2e et 4e mercredis du mois, 14 h – 17 h".

Covers what permanences use (weekdays and ranges, nth weekdays of the month,
every other week, month ranges, several time ranges, public holidays, closed
days, 24/7). Anything else falls back to the raw string behind a label, so a
schedule is always shown. Day and month names come from Babel for every
locale; the few grammar templates go through gettext; times keep Latin digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from babel.dates import get_day_names, get_month_names
from babel.lists import format_list

from api.i18n import _, babel_locale, use_locale

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_DAY_ITEM = re.compile(
    r"^(Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:\[([\d,]+)\])?(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$"
)
_MONTH_ITEM = re.compile(rf"^({'|'.join(MONTHS)})(?:-({'|'.join(MONTHS)}))?$")
_TIME_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_WEEK = re.compile(r"^0?(\d{1,2})-(\d{2})/2$")
_LIST_COMMA = re.compile(r",(?![^\[]*\])")  # commas outside We[2,4]


class Unsupported(ValueError):
    """A rule outside the subset we put into words."""


@dataclass
class Rule:
    months: list[str] = field(default_factory=list)
    week_parity: str | None = None  # "odd" / "even"
    days: list[str] = field(default_factory=list)
    times: list[tuple[int, int, int, int]] = field(default_factory=list)
    off: bool = False
    always: bool = False


def _parse_rule(text: str) -> Rule:
    rule = Rule()
    tokens = text.split()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "24/7":
            rule.always = True
        elif token in ("off", "closed"):
            rule.off = True
        elif token == "week" and i + 1 < len(tokens) and _WEEK.match(tokens[i + 1]):
            first = int(_WEEK.match(tokens[i + 1]).group(1))  # type: ignore[union-attr]
            rule.week_parity = "odd" if first % 2 else "even"
            i += 1
        elif all(_MONTH_ITEM.match(part) for part in token.split(",")):
            rule.months = token.split(",")
        elif all(_DAY_ITEM.match(part) for part in _LIST_COMMA.split(token)):
            rule.days = _LIST_COMMA.split(token)
        elif all(_TIME_RANGE.match(part) for part in token.split(",")):
            for part in token.split(","):
                h1, m1, h2, m2 = (int(x) for x in _TIME_RANGE.match(part).groups())  # type: ignore[union-attr]
                rule.times.append((h1, m1, h2, m2))
        else:
            raise Unsupported(token)
        i += 1
    return rule


# Locale-specific bits that are not words to translate: ordinals and clock style.
def _ordinal_fr(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def _ordinal_en(n: int) -> str:
    suffix = (
        "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    )
    return f"{n}{suffix}"


def _time_fr(h: int, m: int) -> str:
    return f"{h} h" if m == 0 else f"{h} h {m:02d}"


def _time_en(h: int, m: int) -> str:
    hour = h % 12 or 12
    return f"{hour}" if m == 0 else f"{hour}:{m:02d}"


def _range_en(h1: int, m1: int, h2: int, m2: int) -> str:
    start_pm, end_pm = h1 >= 12, (h2 % 24) >= 12
    start = _time_en(h1, m1) + (
        "" if start_pm == end_pm else (" pm" if start_pm else " am")
    )
    return f"{start} – {_time_en(h2, m2)} {'pm' if end_pm else 'am'}"


ORDINALS: dict[str, Callable[[int], str]] = {"fr": _ordinal_fr, "en": _ordinal_en}
TIME_RANGES: dict[str, Callable[[int, int, int, int], str]] = {
    "fr": lambda h1, m1, h2, m2: f"{_time_fr(h1, m1)} – {_time_fr(h2, m2)}",
    "en": _range_en,
}


def _default_range(h1: int, m1: int, h2: int, m2: int) -> str:
    return f"{h1:02d}:{m1:02d}–{h2:02d}:{m2:02d}"


class Words:
    """Everything locale-dependent for one description."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        names = get_day_names("wide", locale=babel_locale(locale))
        self.day_names = {code: str(names[i]) for i, code in enumerate(DAYS)}
        months = get_month_names("wide", locale=babel_locale(locale))
        self.month_names = {code: str(months[i + 1]) for i, code in enumerate(MONTHS)}
        self.ordinal = ORDINALS.get(locale, str)
        self.time_range = TIME_RANGES.get(locale, _default_range)

    def join(self, items: list[str]) -> str:
        return format_list(items, locale=babel_locale(self.locale)) if items else ""

    def day(self, item: str) -> str:
        match = _DAY_ITEM.match(item)
        assert match is not None
        start, nths, end = match.groups()
        if start == "PH":
            return _("les jours fériés")
        if nths:
            ordinals = self.join([self.ordinal(int(n)) for n in nths.split(",")])
            template = (
                _("%(nths)s %(day)s du mois")
                if "," not in nths
                else _("%(nths)s %(day)ss du mois")
            )
            return template % {"nths": ordinals, "day": self.day_names[start]}
        if end:
            return _("du %(start)s au %(end)s") % {
                "start": self.day_names[start],
                "end": self.day_names[end],
            }
        return self.day_names[start]

    def month(self, item: str) -> str:
        match = _MONTH_ITEM.match(item)
        assert match is not None
        start, end = match.groups()
        if end:
            return _("de %(start)s à %(end)s") % {
                "start": self.month_names[start],
                "end": self.month_names[end],
            }
        return self.month_names[start]

    def rule(self, rule: Rule) -> str:
        if rule.always and not rule.off:
            return _("ouvert tout le temps")
        days = self.join([self.day(d) for d in rule.days])
        if rule.off:
            if rule.days == ["PH"]:
                return _("fermé les jours fériés")
            return _("fermé : %(days)s") % {"days": days}
        parts = []
        if days:
            parts.append(days)
        if rule.week_parity:
            parts.append(
                _("une semaine sur deux (semaines impaires)")
                if rule.week_parity == "odd"
                else _("une semaine sur deux (semaines paires)")
            )
        if rule.times:
            parts.append(self.join([self.time_range(*t) for t in rule.times]))
        text = ", ".join(parts)
        if rule.months:
            colon = " : " if self.locale == "fr" else ": "  # French spacing
            text = f"{self.join([self.month(m) for m in rule.months])}{colon}{text}"
        return text


@lru_cache(maxsize=4096)
def describe(raw: str, locale: str) -> str:
    """``raw`` in words in ``locale``; never raises. Cached: pure for a given
    catalog, and listings share a few dozen schedules."""
    with use_locale(locale):
        try:
            if "||" in raw or '"' in raw:
                raise Unsupported(raw)
            rules = [
                _parse_rule(part.strip()) for part in raw.split(";") if part.strip()
            ]
            rules = _merge_week_only(rules)
            words = Words(locale)
            separator = " ; " if locale == "fr" else "; "  # French spacing
            return separator.join(words.rule(rule) for rule in rules)
        except (Unsupported, ValueError, KeyError, AssertionError):
            return _("Horaires : %(hours)s") % {"hours": raw}


def _merge_week_only(rules: list[Rule]) -> list[Rule]:
    """``Tu 14:00-17:00; week 1-53/2`` puts the week on a rule of its own: in
    opening_hours the later rule overrides, so it describes the same days."""
    merged: list[Rule] = []
    for rule in rules:
        if rule.week_parity and not (rule.days or rule.times or rule.months) and merged:
            merged[-1].week_parity = rule.week_parity
        else:
            merged.append(rule)
    return merged
