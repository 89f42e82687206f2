"""Opening hours of permanences: OSM ``opening_hours`` read with opening-hours-py.

Every evaluation is in Europe/Paris with French public holidays (``PH``), minus
closure periods. Lenient strings typed by people ("lundi-vendredi 9h-12h") are
normalised when their meaning is unambiguous, and refused with a plain-words
message otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, ParserError, State

from api.i18n import _

PARIS = ZoneInfo("Europe/Paris")
# Gaps longer than this count as "never again": without it, next_change() on an
# expression that never opens again scans up to year 9999 (~0.4 s). Over a year,
# so that yearly dates (Dec 25) are still found.
MAX_INTERVAL_DAYS = 400
# How far back next_session() looks for a session already under way: enough for
# any session shorter than a day to keep its real start.
LOOKBACK = timedelta(days=1)
# Overnight ranges typed leniently ("22h-2h") are believed up to this length;
# beyond it "9h-5h" is more likely a slip for 17h than a 20-hour session.
MAX_OVERNIGHT_MINUTES = 12 * 60

_DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DAY_CODE = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)"
_FRENCH_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre"
_FRENCH_MONTHS += " novembre décembre"
# Lower-case spellings -> OSM: French day and month names and their usual
# abbreviations (a plural "s" is dropped before looking up), OSM codes typed in
# the wrong case, and a few French words.
_WORDS: dict[str, str] = {
    **{code.lower(): code for code in (*_DAY_CODES, "PH", "SH")},
    **dict(zip(_FRENCH_MONTHS.split(), _MONTHS.split("|"), strict=True)),
    **{
        spelling: code
        for code, spellings in {
            "Mo": "lundi lun lu",
            "Tu": "mardi mar ma",
            "We": "mercredi mer me",
            "Th": "jeudi jeu je",
            "Fr": "vendredi ven ve",
            "Sa": "samedi sam",
            "Su": "dimanche dim di",
            "Feb": "fevrier",
            "Aug": "aout",
            "Dec": "decembre",
            "off": "fermé fermée ferme",
            "12h": "midi",
        }.items()
        for spelling in spellings.split()
    },
}
_DASHES = re.compile(r"[‐‑‒–—−]")
_EXCEPT_HOLIDAYS = re.compile(r"\bsauf\s+(?:les\s+)?jours?\s+fériés", re.IGNORECASE)
_HOLIDAYS = re.compile(r"(?:les\s+)?jours?\s+fériés", re.IGNORECASE)
_EVERY_DAY = re.compile(r"\btous\s+les\s+jours\b", re.IGNORECASE)
_FILLER = re.compile(r"\b(?:du|le|les|de|des)\b\s*", re.IGNORECASE)
# A word, an abbreviation dot, and the colon people put after a day.
_WORD = re.compile(r"(?<!\w)([^\W\d_]{2,9})(?![^\W\d_])\.?(\s*:)?")
# "Mar" is March next to other months ("Mar-Oct"), else "mardi".
_OTHER_MONTH = re.compile(rf"\b(?:{_MONTHS.replace('Mar|', '')})\b")
_GLUED_DAY = re.compile(rf"\b({_DAY_CODE})(?=\d)")
# Parts where "1-53" is not a time: [nth] weekdays, week numbers, month days.
_NOT_TIMES = re.compile(
    rf"\[[^\]]*\]|\bweek\s*[\d,/-]+|\b(?:{_MONTHS})\s?\d{{1,2}}\b(?!\s*[hH:.])"
)
_TIME = r"(\d{1,2})(?:\s*([hH:.])(?:\s*(\d{2}))?)?"
_RANGE = re.compile(rf"(?<![\d:]){_TIME}\s*(?:-|à)\s*{_TIME}(?![\d:])")
_DAY_TO = re.compile(rf"(?<={_DAY_CODE})\s+(?:au|à)\s+(?={_DAY_CODE})")
_AND = re.compile(r"\s+et\s+|\s+/\s+")
# A new day group right after a time starts an additional rule, as in "Mo
# 09:00-12:00, Tu 14:00-17:00": the days are added, not overridden.
_RULE_GAP = re.compile(rf"(?<=\d\d:\d\d)[\s,]+(?={_DAY_CODE}\b)")
_DAY_LIST = rf"{_DAY_CODE}(?:[\s,-]+{_DAY_CODE})*"
# "fermé le dimanche" is "Su off"; an "off" rule overrides what comes before.
_OFF_FIRST = re.compile(rf"\boff\s+({_DAY_LIST})\b")
_OFF_RULE = re.compile(rf"(?<=\d\d:\d\d)[\s,]+(?={_DAY_LIST}\s+off\b)")


class HoursError(ValueError):
    """A schedule we cannot read; ``message`` explains it in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Period:
    """A closure: [start, end), aware datetimes."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Session:
    """An open interval, [start, end), aware datetimes in Paris."""

    start: datetime
    end: datetime


@lru_cache(maxsize=8192)
def parse(raw: str) -> OpeningHours:
    """The evaluator for ``raw``: parsing costs more than an evaluation, and a
    search page asks about the same few hundred strings again and again."""
    try:
        return OpeningHours(
            raw,
            timezone=PARIS,
            country="FR",
            auto_country=False,
            auto_timezone=False,
            max_interval_days=MAX_INTERVAL_DAYS,
        )
    except (ParserError, SyntaxError) as error:
        raise HoursError(_unreadable(raw)) from error


def _unreadable(raw: str) -> str:
    return _(
        "Horaires illisibles : « %(raw)s ». Exemple attendu : "
        "« Mo-Fr 09:00-12:00; We[2,4] 14:00-17:00; PH off »."
    ) % {"raw": raw.strip()}


def _reads(text: str, clean: bool) -> bool:
    """Whether opening-hours-py reads ``text``; ``clean`` also refuses what it
    reads with warnings (lower-case days…), which the lenient pass rewrites."""
    try:
        warnings = parse(text).warnings
    except HoursError:
        return False
    return not (clean and warnings)


def normalise(raw: str) -> str:
    """A valid OSM opening_hours string for ``raw``, or HoursError."""
    # Whitespace alone parses as 24/7, and a trailing ";" not at all.
    text = raw.strip().rstrip(";").rstrip()
    if not text:
        raise HoursError(_("Les horaires sont vides."))
    if _PLACEHOLDERS.search(text):  # the lenient pass uses them as placeholders
        raise HoursError(_unreadable(raw))
    if _reads(text, clean=True):
        return text
    try:
        fixed, refusal = _lenient(text), HoursError(_unreadable(raw))
    except HoursError as error:  # a time that cannot be, or is ambiguous
        fixed, refusal = text, error
    for candidate in (fixed, text):  # text: read, but with warnings
        if _reads(candidate, clean=False):
            return candidate
    raise refusal


def _lenient(text: str) -> str:
    """French data entry habits rewritten in OSM syntax."""
    # Quoted comments are the author's own words: only the rest is rewritten.
    parts = text.split('"')
    parts[::2] = [_fix_selectors(part) for part in parts[::2]]
    return '"'.join(parts).strip(" ;,")


def _fix_selectors(text: str) -> str:
    text = _DASHES.sub("-", text)
    text = _EXCEPT_HOLIDAYS.sub(" ; PH off ; ", text)
    text = _HOLIDAYS.sub(" PH ", text)
    text = _EVERY_DAY.sub(" Mo-Su ", text)
    text = _FILLER.sub("", text)
    text = _WORD.sub(_fix_word, text)
    text = _GLUED_DAY.sub(r"\1 ", text)
    text = _fix_ranges(text)
    text = _DAY_TO.sub("-", text)
    text = _AND.sub(",", text)
    text = re.sub(r"\s*-\s*", "-", re.sub(r"\s*,\s*", ",", text))
    text = _OFF_FIRST.sub(r"; \1 off", text)
    text = _OFF_RULE.sub("; ", text)
    # Only now: ", " between rules must survive the tidying of "Tu , Th".
    text = _RULE_GAP.sub(", ", text)
    text = re.sub(r"[\s,]*;[\s,;]*", "; ", text)
    return re.sub(r"\s+", " ", text)  # not stripped: spaces next to comments


def _fix_word(match: re.Match[str]) -> str:
    word, colon = match.group(1), match.group(2)
    lower = word.lower()
    code = _WORDS.get(lower) or (_WORDS.get(lower[:-1]) if len(lower) > 4 else None)
    if code is None or (word == "Mar" and _OTHER_MONTH.search(match.string)):
        return match.group(0)
    # The colon after a day ("Lundi : 9h") is not OSM; after a month it is.
    return code if code in _DAY_CODES or code in ("PH", "SH") else code + (colon or "")


_PLACEHOLDERS = re.compile("[\ue000-\uf8ff]")


def _fix_ranges(text: str) -> str:
    kept: list[str] = []

    def hide(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return chr(0xE000 + len(kept) - 1)  # private-use: never typed

    text = _RANGE.sub(_fix_range, _NOT_TIMES.sub(hide, text))
    return re.sub("[\ue000-\uf8ff]", lambda m: kept[ord(m.group(0)) - 0xE000], text)


def _fix_range(match: re.Match[str]) -> str:
    h1, sep1, m1, h2, sep2, m2 = match.groups()
    text = match.group(0).strip()
    start, end = _minutes(h1, m1, text, 24 * 60 - 1), _minutes(h2, m2, text, 24 * 60)
    # "9-5" may mean 9 to 17: only an explicit "22h-2h" is read as overnight.
    overnight = (end - start) % (24 * 60)
    believable = bool(sep1 or sep2) and 0 < overnight <= MAX_OVERNIGHT_MINUTES
    if end <= start and not believable:
        raise HoursError(
            _("« %(text)s » : l'heure de fin est avant l'heure de début.")
            % {"text": text}
        )
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def _minutes(hours: str, minutes: str | None, text: str, latest: int) -> int:
    total = int(hours) * 60 + int(minutes or 0)
    if total > latest or int(minutes or 0) > 59:
        raise HoursError(_("L'heure « %(text)s » n'existe pas.") % {"text": text})
    return total


def closure_period(start: date, end: date) -> Period:
    """Closure days from a form are inclusive: start 00:00 to the day after end.
    An end before the start gives an empty period, which closes nothing."""
    return Period(
        datetime.combine(start, time(), PARIS),
        datetime.combine(end + timedelta(days=1), time(), PARIS),
    )


def _paris(moment: datetime) -> datetime:
    """``moment`` in Paris. opening-hours-py reads a naive time as local time,
    silently, and refuses an aware one whose tzinfo is not a ZoneInfo (such as
    ``datetime.UTC``): we take any aware datetime and give it a ZoneInfo."""
    if moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is expected, got {moment!r}")
    return moment.astimezone(PARIS)


def _in_paris(closures: Sequence[Period]) -> tuple[Period, ...]:
    return tuple(Period(_paris(c.start), _paris(c.end)) for c in closures)


def _minus(start: datetime, end: datetime, closures: Sequence[Period]) -> list[Session]:
    pieces = [(start, end)]
    for closure in closures:
        kept = []
        for a, b in pieces:
            if b <= closure.start or a >= closure.end:
                kept.append((a, b))
                continue
            if a < closure.start:
                kept.append((a, closure.start))
            if b > closure.end:
                kept.append((closure.end, b))
        pieces = kept
    return [Session(a, b) for a, b in pieces]


def _plain_intervals(
    raw: str, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    for a, b, state, _comment in parse(raw).intervals(start, end):
        if state == State.OPEN:
            yield a, b


def _open_intervals(
    raw: str, start: datetime, end: datetime, anchor: date | None = None
) -> Iterator[tuple[datetime, datetime]]:
    """Open intervals, lazily; bounded by ``end``, so never endless. With an
    anchor, each ISO week is read with the week parity that keeps the rhythm
    (see in_step); a session starting in a week is that week's, whole, even
    when it runs over Sunday midnight."""
    if anchor is None or not EVERY_OTHER_WEEK.search(raw):
        yield from _plain_intervals(raw, start, end)
        return
    pending: tuple[datetime, datetime] | None = None
    chunk = start
    while chunk < end:
        day = chunk.date()
        monday = day - timedelta(days=day.weekday())
        chunk_end = min(end, datetime.combine(monday + WEEK, time(), PARIS))
        # Read past the week's end: a Sunday night session ends on Monday.
        read = _plain_intervals(
            _for_week(raw, anchor, day), chunk, min(end, chunk_end + LOOKBACK)
        )
        for a, b in read:
            if a >= chunk_end:  # the next week's own
                break
            if pending is not None and a <= pending[1]:
                pending = (pending[0], max(b, pending[1]))
                continue
            if pending is not None:
                yield pending
            pending = (a, b)
        chunk = chunk_end
    if pending is not None:
        yield pending


# --- every other week, anchored ----------------------------------------------
#
# OSM writes "every other week" as ISO week parity (week 01-53/2), which breaks
# the rhythm after a year with a week 53: odd weeks 53 and 1 follow each other.
# A permanence's ``anchor`` (a date) fixes that: the parity written in the
# string holds in the anchor's ISO year, and outside it each week gets the
# parity that keeps two weeks between sessions, years after and years before.

WEEK = timedelta(days=7)
# A whole-year "every other week" selector: week 01-53/2 (odd), week 02-52/2
# or 02-53/2 (even). Shorter ranges ("week 10-20/2") are seasons: left as read.
EVERY_OTHER_WEEK = re.compile(r"\bweek\s?0([12])-5[23]/2\b")


def in_step(day: date, anchor: date) -> bool:
    """Whether ``day``'s ISO week has the parity it has in the anchor's year
    counting two weeks at a time from the anchor (always, in that year)."""
    weeks = (day - timedelta(days=day.weekday())) - (
        anchor - timedelta(days=anchor.weekday())
    )
    numbers = day.isocalendar().week - anchor.isocalendar().week
    return (weeks.days // 7 - numbers) % 2 == 0


def _flip(match: re.Match[str]) -> str:
    return "week 02-52/2" if match.group(1) == "1" else "week 01-53/2"


def _for_week(raw: str, anchor: date | None, day: date) -> str:
    """``raw`` as it reads in ``day``'s week under ``anchor``."""
    if anchor is None or in_step(day, anchor):
        return raw
    return EVERY_OTHER_WEEK.sub(_flip, raw)


def every_other_week(raw: str) -> bool:
    """Whether ``raw`` has a whole-year every-other-week rule (which an anchor
    keeps in step across years)."""
    return bool(EVERY_OTHER_WEEK.search(raw))


# --- validity ----------------------------------------------------------------

# Bounds for "since ever" and "for ever" in validity periods: opening-hours-py
# and zoneinfo both work in these years, not at datetime.min/max.
_EVER = datetime(1970, 1, 1, tzinfo=PARIS)
_NEVER = datetime(2200, 1, 1, tzinfo=PARIS)


def paris_day(moment: datetime) -> date:
    """The calendar day of ``moment`` in Paris, whatever its UTC offset."""
    return _paris(moment).date()


def valid_on(day: date, valid_from: date | None, valid_until: date | None) -> bool:
    """Whether a permanence valid from/until these days (inclusive, either may
    be open) holds on ``day``, a Paris calendar day (see paris_day)."""
    return (valid_from is None or valid_from <= day) and (
        valid_until is None or day <= valid_until
    )


def outside(valid_from: date | None, valid_until: date | None) -> tuple[Period, ...]:
    """The time outside a validity period, as closures: so that every
    evaluation (open, next session, sessions for the calendar) honours it."""
    periods = []
    if valid_from is not None:
        periods.append(Period(_EVER, datetime.combine(valid_from, time(), PARIS)))
    if valid_until is not None:
        end = datetime.combine(valid_until + timedelta(days=1), time(), PARIS)
        periods.append(Period(end, _NEVER))
    return tuple(periods)


@dataclass(frozen=True)
class Schedule:
    """A permanence's hours with everything that bounds them: its validity
    days and its every-other-week anchor. The one way to ask whether, and
    when, a permanence is held: search filters, cards, pages and .ics."""

    raw: str
    valid_from: date | None = None
    valid_until: date | None = None
    anchor: date | None = None

    @classmethod
    def of(cls, permanence: Any) -> Schedule:
        """From anything with a Permanence's fields (a row, a public model);
        one shared object per distinct value."""
        return _shared_schedule(
            permanence.opening_hours,
            permanence.valid_from,
            permanence.valid_until,
            getattr(permanence, "biweekly_anchor", None),
        )

    def valid_on(self, day: date) -> bool:
        return valid_on(day, self.valid_from, self.valid_until)

    def _closures(self, closures: Sequence[Period]) -> tuple[Period, ...]:
        return (*closures, *outside(self.valid_from, self.valid_until))

    def is_open(self, at: datetime, closures: Sequence[Period] = ()) -> bool:
        return is_open(self.raw, at, self._closures(closures), anchor=self.anchor)

    def sessions(
        self, start: datetime, end: datetime, closures: Sequence[Period] = ()
    ) -> list[Session]:
        return sessions(
            self.raw, start, end, self._closures(closures), anchor=self.anchor
        )

    def next_session(
        self, after: datetime, closures: Sequence[Period] = (), horizon_days: int = 120
    ) -> Session | None:
        return next_session(
            self.raw, after, self._closures(closures), horizon_days, anchor=self.anchor
        )


@lru_cache(maxsize=4096)
def _shared_schedule(
    raw: str, valid_from: date | None, valid_until: date | None, anchor: date | None
) -> Schedule:
    # Frozen: one per distinct value, not one per permanence of every card
    # (listings share a few dozen rules).
    return Schedule(raw, valid_from, valid_until, anchor)


def sessions(
    raw: str,
    start: datetime,
    end: datetime,
    closures: Sequence[Period] = (),
    anchor: date | None = None,
) -> list[Session]:
    """Open intervals of ``raw`` between start and end, minus closures; the
    first and last are clipped to the window."""
    start, end = _paris(start), _paris(end)
    if end <= start:
        return []
    cut = _in_paris(closures)
    return [
        s
        for a, b in _open_intervals(raw, start, end, anchor)
        for s in _minus(a, b, cut)
    ]


def is_open(
    raw: str,
    at: datetime,
    closures: Sequence[Period] = (),
    anchor: date | None = None,
) -> bool:
    at = _paris(at)
    if any(_paris(c.start) <= at < _paris(c.end) for c in closures):
        return False
    return parse(_for_week(raw, anchor, at.date())).is_open(at)


def next_session(
    raw: str,
    after: datetime,
    closures: Sequence[Period] = (),
    horizon_days: int = 120,
    anchor: date | None = None,
) -> Session | None:
    """The session in progress at ``after`` (with its real start, if it began
    less than a day before), else the next one starting within the horizon.
    None for hours open without end in sight (24/7): "open now" says it."""
    # Rules have no finer grain than the minute: the same answer for the
    # whole minute, so the cache below serves every card asking in it.
    minute = _paris(after).replace(second=0, microsecond=0)
    return _next_session(raw, minute, _in_paris(closures), horizon_days, anchor)


@lru_cache(maxsize=4096)
def _next_session(
    raw: str,
    after: datetime,
    closures: tuple[Period, ...],
    horizon_days: int,
    anchor: date | None,
) -> Session | None:
    # Cached: a page shows many permanences with the same hours at the same moment.
    limit = after + timedelta(days=horizon_days)
    # Read a day either side so that a session keeps its real start and end;
    # one that still touches either edge of what was read has neither.
    first, last = after - LOOKBACK, limit + LOOKBACK
    for a, b in _open_intervals(raw, first, last, anchor):
        if a >= limit:
            return None
        for piece in _minus(a, b, closures):
            if piece.end > after and piece.start < limit:
                if piece.start <= first and piece.end >= last:
                    return None  # open throughout: no session to announce
                if piece.start <= first:
                    return Session(after, piece.end)
                return piece
    return None
