"""A schedule builder for partners: days, times and a rhythm instead of syntax.

The model behind the form that writes a permanence's OSM ``opening_hours``
string ("We[2,4] 14:00-17:00; PH off") so that nobody has to type it, and reads
such a string back to refill the form. What the builder covers:

- days of the week, each rule with one or two time ranges (morning, afternoon);
- a rhythm: every week, some weeks of the month ("2nd and 4th Wednesday",
  "last Friday": ``We[2,4]``, ``Fr[-1]``), or every other week by ISO week
  parity (``week 01-53/2`` odd, ``week 02-52/2`` even);
- closed on public holidays (``PH off``).

Anything else (months, dates, comments, "sunrise"…) stays in the raw field,
which experts can always edit: ``from_opening_hours`` returns None for it.

Every other week is written as ISO week parity, as OSM does; alone, that
breaks the rhythm after a year with a week 53 (2026, 2032…: odd weeks 53 and 1
follow each other). So a permanence with such a rule also gets an anchor date
(Permanence.biweekly_anchor, see anchor_value): the parity chosen holds in the
anchor's year, and every evaluation (api.services.schedules.hours) keeps two weeks
between sessions from it, across years.

Rules are joined with "; " — which in OSM *replaces* earlier rules on the days
it selects — unless a rule may share a day with an earlier one ("every Monday
morning" and "the 1st Monday afternoon"): then ", ", which adds to them, so
that the string means the union of the rows of the form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.i18n import _
from api.services.schedules.hours import in_step, normalise, parse

Day = Literal["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
Frequency = Literal["weekly", "nth", "biweekly"]
Parity = Literal["odd", "even"]
WeekOfMonth = Literal[1, 2, 3, 4, 5, -1]  # -1: the last one of the month

DAYS: tuple[Day, ...] = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
FREQUENCIES: tuple[Frequency, ...] = ("weekly", "nth", "biweekly")
PARITIES: tuple[Parity, ...] = ("odd", "even")
WEEKS_OF_MONTH: tuple[WeekOfMonth, ...] = (1, 2, 3, 4, 5, -1)
MAX_RULES = 5
MAX_RANGES = 2
# ISO week ranges of "every other week"; 02-53/2 is the same weeks as 02-52/2.
WEEK_RANGES: dict[Parity, str] = {"odd": "01-53/2", "even": "02-52/2"}
_PARITY_OF_RANGE: dict[str, Parity] = {
    "01-53/2": "odd",
    "02-52/2": "even",
    "02-53/2": "even",
}

_CLOCK = r"(?:[01]\d|2[0-3]):[0-5]\d"


def _week_key(week: int) -> int:
    return 99 if week == -1 else week  # "1,3,-1": the last one last, as in OSM


class TimeRange(BaseModel):
    """From ``start`` to ``end`` the same day, "HH:MM". Times of day only, as
    an <input type="time"> holds them: no "24:00", so a rule open all day or
    until midnight stays in the raw field."""

    model_config = ConfigDict(frozen=True)

    start: str = Field(pattern=rf"^{_CLOCK}$")
    end: str = Field(pattern=rf"^{_CLOCK}$")

    @model_validator(mode="after")
    def _end_after_start(self) -> TimeRange:
        if self.end <= self.start:  # "HH:MM" strings sort like times
            raise ValueError("the end must be after the start")
        return self

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


class ScheduleRule(BaseModel):
    """One row of the form: days, one or two time ranges, a rhythm.

    Normalised on creation: days in week order, ranges by start time, weeks of
    the month in OSM order (the last one last). ``weeks`` is only for "nth" and
    ``parity`` only for "biweekly"; a range may be given as ("09:00", "12:00").
    """

    model_config = ConfigDict(frozen=True)

    days: tuple[Day, ...] = Field(min_length=1)
    ranges: tuple[TimeRange, ...] = Field(min_length=1, max_length=MAX_RANGES)
    frequency: Frequency = "weekly"
    weeks: tuple[WeekOfMonth, ...] = ()
    parity: Parity | None = None

    @field_validator("days")
    @classmethod
    def _days_in_order(cls, days: tuple[Day, ...]) -> tuple[Day, ...]:
        return tuple(sorted(set(days), key=DAYS.index))

    @field_validator("ranges", mode="before")
    @classmethod
    def _ranges_from_pairs(cls, ranges: Any) -> Any:
        if isinstance(ranges, Sequence) and not isinstance(ranges, str):
            return [
                {"start": r[0], "end": r[1]}
                if isinstance(r, Sequence) and not isinstance(r, str) and len(r) == 2
                else r
                for r in ranges
            ]
        return ranges

    @field_validator("ranges")
    @classmethod
    def _ranges_apart(cls, ranges: tuple[TimeRange, ...]) -> tuple[TimeRange, ...]:
        ranges = tuple(sorted(ranges, key=lambda r: (r.start, r.end)))
        if len(ranges) == 2 and ranges[1].start < ranges[0].end:
            raise ValueError("the time ranges overlap")
        return ranges

    @field_validator("weeks")
    @classmethod
    def _weeks_in_order(cls, weeks: tuple[WeekOfMonth, ...]) -> tuple[WeekOfMonth, ...]:
        return tuple(sorted(set(weeks), key=_week_key))

    @model_validator(mode="after")
    def _rhythm(self) -> ScheduleRule:
        if (self.frequency == "nth") != bool(self.weeks):
            raise ValueError("weeks of the month go with frequency 'nth', and only")
        if (self.frequency == "biweekly") != (self.parity is not None):
            raise ValueError("a parity goes with frequency 'biweekly', and only")
        return self


class ScheduleSpec(BaseModel):
    """What the builder form holds: 1 to 5 rules, and public holidays."""

    model_config = ConfigDict(frozen=True)

    rules: tuple[ScheduleRule, ...] = Field(min_length=1, max_length=MAX_RULES)
    public_holidays_off: bool = True


def has_every_other_week(spec: ScheduleSpec | None) -> bool:
    return spec is not None and any(r.frequency == "biweekly" for r in spec.rules)


def anchor_value(spec: ScheduleSpec | None, typed: str, today: date) -> str:
    """The biweekly_anchor to save with ``spec``: none without an every-other-
    week rule; the date typed, if any; else today, so that the parity the
    partner chose (reading this year's agenda) keeps its rhythm next year."""
    if not has_every_other_week(spec):
        return ""
    return typed.strip() or today.isoformat()


def in_this_year(
    spec: ScheduleSpec, anchor: date, today: date
) -> tuple[ScheduleSpec, date]:
    """The same sessions with the parities of today's ISO year, and the anchor
    that goes with them: so that "odd weeks" in the form is what a partner
    reads in this year's agenda, even when the anchor was set before a week 53."""
    if in_step(today, anchor):
        return spec, anchor
    other: dict[Parity, Parity] = {"odd": "even", "even": "odd"}
    rules = tuple(
        rule.model_copy(update={"parity": other[rule.parity]}) if rule.parity else rule
        for rule in spec.rules
    )
    return spec.model_copy(update={"rules": rules}), today


# --- spec -> opening_hours ---------------------------------------------------


def to_opening_hours(spec: ScheduleSpec) -> str:
    """The OSM opening_hours string of ``spec``, as opening-hours-py reads it.

    >>> to_opening_hours(ScheduleSpec(rules=[ScheduleRule(
    ...     days=["We"], ranges=[("14:00", "17:00")], frequency="nth", weeks=[2, 4]
    ... )]))
    'We[2,4] 14:00-17:00; PH off'
    """
    text = ""
    for index, rule in enumerate(spec.rules):
        if index:
            shares = any(
                _may_share_a_day(earlier, rule) for earlier in spec.rules[:index]
            )
            text += ", " if shares else "; "
        text += _rule_text(rule)
    if spec.public_holidays_off:
        text += "; PH off"
    parse(text)  # HoursError here would be a bug of this module
    return text


def _rule_text(rule: ScheduleRule) -> str:
    if rule.frequency == "nth":
        nths = ",".join(str(week) for week in rule.weeks)
        days = ",".join(f"{day}[{nths}]" for day in rule.days)
    else:
        days = _day_list(rule.days)
    times = ",".join(str(span) for span in rule.ranges)
    if rule.parity is not None:
        return f"week {WEEK_RANGES[rule.parity]} {days} {times}"
    return f"{days} {times}"


def _day_list(days: tuple[Day, ...]) -> str:
    """ "Mo-Fr", "Mo,We", "Mo-We,Sa": three days or more in a row make a range."""
    runs: list[list[Day]] = []
    for day in days:
        if runs and DAYS.index(day) == DAYS.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        f"{run[0]}-{run[-1]}" if len(run) >= 3 else ",".join(run) for run in runs
    )


def _may_share_a_day(earlier: ScheduleRule, later: ScheduleRule) -> bool:
    """Whether ``later`` written after "; " might replace ``earlier`` on some
    day. Coarse on purpose, like schedule_text: "Mo[1]" and "Mo[3]" count as
    sharing Mondays, so that the words read right; only opposite week parities
    are told apart."""
    if not set(earlier.days) & set(later.days):
        return False
    return not (
        earlier.parity is not None
        and later.parity is not None
        and earlier.parity != later.parity
    )


def _overlap(earlier: ScheduleRule, later: ScheduleRule) -> bool:
    """Whether the two rules select a same date: a "; " between them then
    means something else than the two rows of the form."""
    if not set(earlier.days) & set(later.days):
        return False
    if earlier.parity is not None and later.parity is not None:
        return earlier.parity == later.parity
    if earlier.frequency != "nth" or later.frequency != "nth":
        return True  # every week, or nth against every other week
    a, b = set(earlier.weeks), set(later.weeks)
    # The last one of a month is its 4th or its 5th.
    last = {4, 5, -1}
    return bool(a & b) or (-1 in a and bool(b & last)) or (-1 in b and bool(a & last))


# --- opening_hours -> spec ---------------------------------------------------

# One rule in opening-hours-py's display syntax: week02-52/2 Mo,We[2,4] 09:00-12:00
_RULE = re.compile(
    r"""(?:week(?P<weeks>\d\d-\d\d/2)[ ])?
    (?P<days>[A-Za-z\[\],\d-]+)[ ]
    (?P<times>\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*)""",
    re.VERBOSE,
)
_DAY_ITEM = re.compile(
    r"(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su)|\[([-\d,]+)\])?"
)
_SEPARATOR = re.compile(r"(; |, )")
_HOLIDAYS_OFF = ("PH closed", "PH off")


class _Unrepresentable(ValueError):
    """A schedule the builder cannot show; the form keeps only the raw field."""


def from_opening_hours(text: str) -> ScheduleSpec | None:
    """The spec the builder form shows for ``text``, or None when the builder
    cannot represent it (months, dates, comments, "24/7", overlapping rules…).

    Reads what opening-hours-py reads, after the lenient French normalisation
    of hours.py, so "We[4,2] 14h-17h" comes back as "We[2,4] 14:00-17:00".
    """
    try:
        canonical = str(parse(normalise(text)))
        return _spec(canonical)
    except ValueError:  # HoursError, _Unrepresentable, pydantic's ValidationError
        return None


def _spec(canonical: str) -> ScheduleSpec:
    if '"' in canonical or "||" in canonical:  # comments, fallback rules
        raise _Unrepresentable(canonical)
    parts = _SEPARATOR.split(canonical)
    texts, separators = parts[::2], ["; ", *parts[1::2]]
    holidays_off = texts[-1] in _HOLIDAYS_OFF and separators[-1] == "; "
    if holidays_off:
        texts, separators = texts[:-1], separators[:-1]
    if not texts or len(texts) > MAX_RULES:
        raise _Unrepresentable(canonical)
    rules: list[ScheduleRule] = []
    for text, separator in zip(texts, separators, strict=True):
        rule = _rule(text)
        if separator == "; " and any(_overlap(earlier, rule) for earlier in rules):
            raise _Unrepresentable(text)  # it replaces part of an earlier row
        rules.append(rule)
    return ScheduleSpec(rules=rules, public_holidays_off=holidays_off)


def _rule(text: str) -> ScheduleRule:
    match = _RULE.fullmatch(text)
    if match is None:
        raise _Unrepresentable(text)
    weeks, days_text, times = match.group("weeks", "days", "times")
    parity = None
    if weeks is not None:
        parity = _PARITY_OF_RANGE.get(weeks)
        if parity is None:  # "week 10-20/2": a season, not every other week
            raise _Unrepresentable(weeks)
    days, nths = _days(days_text)
    if nths and parity:
        raise _Unrepresentable(text)
    frequency: Frequency = "nth" if nths else "biweekly" if parity else "weekly"
    return ScheduleRule(
        days=days,
        ranges=[tuple(span.split("-")) for span in times.split(",")],
        frequency=frequency,
        weeks=[int(n) for n in nths.split(",")] if nths else [],
        parity=parity,
    )


def _days(text: str) -> tuple[list[Day], str | None]:
    """The days of "Mo-We,Fr" or "Mo[2,4],We[2,4]", and the nths they share."""
    days: list[Day] = []
    nths: set[str | None] = set()
    for item in re.split(r",(?![^\[]*\])", text):  # not the comma in We[2,4]
        match = _DAY_ITEM.fullmatch(item)
        if match is None:
            raise _Unrepresentable(item)
        first, last, nth = match.groups()
        start = DAYS.index(first)  # type: ignore[arg-type]
        end = DAYS.index(last) if last else start  # type: ignore[arg-type]
        days += [DAYS[(start + i) % 7] for i in range((end - start) % 7 + 1)]
        nths.add(nth)
    if len(nths) != 1:  # "Mo[1],We[3]" or "Mo,We[2]": two rows, not one
        raise _Unrepresentable(text)
    return days, nths.pop()


# --- HTML form ---------------------------------------------------------------

FormInput = Mapping[str, Any]
_TIME_FIELDS = ("start1", "end1", "start2", "end2")
_LIST_FIELDS = ("days", "weeks")
_RULE_FIELDS = ("days", *_TIME_FIELDS, "frequency", "weeks", "parity")
PH_FIELD = "ph-off"
# "9", "9h", "9h30", "9 h 30", "09:30", "9:30", "09.30", and "09:30:00" as some
# browsers send from <input type="time">.
_TYPED_TIME = re.compile(r"(\d{1,2})(?:\s*[hH:.]\s*(?:(\d{2})(?::00)?)?)?")


def field_name(index: int, field: str) -> str:
    """The form field of a rule: field_name(0, "days") == "rule-0-days"."""
    return f"rule-{index}-{field}"


def _values(form: FormInput, key: str) -> list[str]:
    """Every non-empty value of ``key``: from a Starlette FormData or
    QueryParams (getlist), or a plain mapping of strings and lists."""
    if hasattr(form, "getlist"):
        raw = form.getlist(key)
    else:
        value = form.get(key)
        raw = [] if value is None else [value] if isinstance(value, str) else value
    return [str(v).strip() for v in raw if str(v).strip()]


def _value(form: FormInput, key: str) -> str:
    values = _values(form, key)
    return values[-1] if values else ""


def read_time(text: str) -> str | None:
    """ "9h30" -> "09:30"; None when not a time of day ("25h", "24h", "midi")."""
    match = _TYPED_TIME.fullmatch(text.strip())
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def from_form(form: FormInput) -> tuple[ScheduleSpec | None, dict[str, str]]:
    """(spec, {}) for a valid builder form, else (None, errors by field name).

    Rows (``rule-0-…`` to ``rule-4-…``) with no day, time, week of the month
    or parity are ignored: the form shows spare rows. Weeks of the month count
    only for "nth" and the parity only for "biweekly" (without JavaScript both
    stay on screen whatever the frequency). With no row filled in at all, the
    first one is reported as incomplete.
    """
    errors: dict[str, str] = {}
    rules: list[ScheduleRule] = []
    filled = [i for i in range(MAX_RULES) if _filled(form, i)]
    for index in filled or [0]:
        rule = _form_rule(form, index, errors)
        if rule is not None:
            rules.append(rule)
    if errors:
        return None, errors
    return ScheduleSpec(
        rules=rules, public_holidays_off=bool(_value(form, PH_FIELD))
    ), {}


def _filled(form: FormInput, index: int) -> bool:
    fields = ("days", *_TIME_FIELDS, "weeks", "parity")
    return any(_values(form, field_name(index, field)) for field in fields)


def _form_rule(
    form: FormInput, index: int, errors: dict[str, str]
) -> ScheduleRule | None:
    def name(field: str) -> str:
        return field_name(index, field)

    found = len(errors)
    days = _values(form, name("days"))
    unknown = [d for d in days if d not in DAYS]
    if unknown:
        errors[name("days")] = _("Jour inconnu : « %(value)s ».") % {
            "value": unknown[0]
        }
    elif not days:
        errors[name("days")] = _("Choisissez au moins un jour.")

    ranges = _form_ranges(form, index, errors)

    frequency = _value(form, name("frequency")) or "weekly"
    weeks: list[int] = []
    parity = None
    if frequency not in FREQUENCIES:
        errors[name("frequency")] = _("Choisissez une fréquence.")
    elif frequency == "nth":
        given = _values(form, name("weeks"))
        weeks = [int(w) for w in given if w in {str(n) for n in WEEKS_OF_MONTH}]
        if not weeks or len(weeks) != len(given):
            errors[name("weeks")] = _("Choisissez au moins une semaine du mois.")
    elif frequency == "biweekly":
        parity = _value(form, name("parity"))
        if parity not in PARITIES:
            errors[name("parity")] = _("Choisissez les semaines paires ou impaires.")

    if len(errors) > found:
        return None
    return ScheduleRule(
        days=days, ranges=ranges, frequency=frequency, weeks=weeks, parity=parity
    )


def _form_ranges(
    form: FormInput, index: int, errors: dict[str, str]
) -> list[tuple[str, str]]:
    ranges: list[tuple[str, str]] = []
    names = {
        n: (field_name(index, f"start{n}"), field_name(index, f"end{n}"))
        for n in (1, 2)
    }
    typed = {n: (_value(form, names[n][0]), _value(form, names[n][1])) for n in (1, 2)}
    for number in (1, 2):
        start_name, end_name = names[number]
        if not any(typed[number]) and (number == 2 or any(typed[2])):
            continue  # an empty second range; or only the second one filled in
        start_typed, end_typed = typed[number]
        start = _form_time(
            start_typed, start_name, _("Indiquez l'heure de début."), errors
        )
        end = _form_time(end_typed, end_name, _("Indiquez l'heure de fin."), errors)
        if start and end:
            if end <= start:
                errors[end_name] = _("L'heure de fin doit être après l'heure de début.")
            else:
                ranges.append((start, end))
    if len(ranges) == 2:
        first, second = sorted(ranges)
        if second[0] < first[1]:
            errors[field_name(index, "start2")] = _(
                "Les deux plages horaires se chevauchent."
            )
    return ranges


def _form_time(
    typed: str, name: str, missing: str, errors: dict[str, str]
) -> str | None:
    if not typed:
        errors[name] = missing
        return None
    value = read_time(typed)
    if value is None and _TYPED_TIME.fullmatch(typed):  # "25h", "9h75", "24h"
        errors[name] = _("L'heure « %(text)s » n'existe pas.") % {"text": typed}
    elif value is None:
        errors[name] = _(
            "Heure non comprise : « %(value)s ». Écrivez-la comme 9h30 ou 09:30."
        ) % {"value": typed}
    return value


def form_values(spec: ScheduleSpec | None = None) -> dict[str, str | list[str]]:
    """The builder form's fields for ``spec`` (the inverse of from_form); for a
    new schedule (None), only "closed on public holidays" ticked."""
    if spec is None:
        return {PH_FIELD: "on"}
    values: dict[str, str | list[str]] = {}
    for index, rule in enumerate(spec.rules):
        values[field_name(index, "days")] = list(rule.days)
        for number, span in enumerate(rule.ranges, start=1):
            values[field_name(index, f"start{number}")] = span.start
            values[field_name(index, f"end{number}")] = span.end
        values[field_name(index, "frequency")] = rule.frequency
        if rule.weeks:
            values[field_name(index, "weeks")] = [str(w) for w in rule.weeks]
        if rule.parity:
            values[field_name(index, "parity")] = rule.parity
    if spec.public_holidays_off:
        values[PH_FIELD] = "on"
    return values


def submitted_values(form: FormInput) -> dict[str, str | list[str]]:
    """What was submitted, to show the form again with its errors: lists for
    the checkbox groups, times as "HH:MM" when readable (what an
    <input type="time"> accepts), the rest as typed."""
    values: dict[str, str | list[str]] = {}
    for index in range(MAX_RULES):
        for field in _RULE_FIELDS:
            key = field_name(index, field)
            if field in _LIST_FIELDS:
                if given := _values(form, key):
                    values[key] = given
            elif typed := _value(form, key):
                values[key] = (
                    (read_time(typed) or typed) if field in _TIME_FIELDS else typed
                )
    if _value(form, PH_FIELD):
        values[PH_FIELD] = "on"
    return values
