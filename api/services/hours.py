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
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, ParserError, State

from api.i18n import _

PARIS = ZoneInfo("Europe/Paris")
# Longer gaps than a year count as "never again": keeps evaluation bounded.
MAX_INTERVAL_DAYS = 400

_FRENCH_DAYS = {
    "lundi": "Mo",
    "mardi": "Tu",
    "mercredi": "We",
    "jeudi": "Th",
    "vendredi": "Fr",
    "samedi": "Sa",
    "dimanche": "Su",
    "lun": "Mo",
    "mar": "Tu",
    "mer": "We",
    "jeu": "Th",
    "ven": "Fr",
    "sam": "Sa",
    "dim": "Su",
    "lu": "Mo",
    "ma": "Tu",
    "me": "We",
    "je": "Th",
    "ve": "Fr",
    "sa": "Sa",
    "di": "Su",
    "mo": "Mo",
    "tu": "Tu",
    "we": "We",
    "th": "Th",
    "fr": "Fr",
    "su": "Su",
    "ph": "PH",
    "sh": "SH",
}
_HOLIDAYS_OFF = re.compile(
    r"(fermée?s?\s+les\s+jours\s+fériés|jours\s+fériés\s*:?\s*fermée?s?|sauf\s+jours\s+fériés)",
    re.IGNORECASE,
)
_DAY_WORD = re.compile(r"(?<![A-Za-z])([A-Za-zéû]{2,8})(?![A-Za-z])")
# 9h, 9h30, 14h00, 9:00, bare 9 — only where a time range is expected.
_TIME = r"(\d{1,2})(?:\s*[h:.]\s*(\d{2})?)?"
_RANGE = re.compile(rf"(?<![\d:]){_TIME}\s*(?:-|à)\s*{_TIME}(?![\d:])")


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
    start: datetime
    end: datetime


@lru_cache(maxsize=8192)
def parse(raw: str) -> OpeningHours:
    return OpeningHours(
        raw,
        timezone=PARIS,
        country="FR",
        auto_country=False,
        auto_timezone=False,
        max_interval_days=MAX_INTERVAL_DAYS,
    )


def _fix_range(match: re.Match[str]) -> str:
    h1, m1, h2, m2 = match.groups()
    start, end = (int(h1), int(m1 or 0)), (int(h2), int(m2 or 0))
    if start[0] > 24 or end[0] > 24 or start[1] > 59 or end[1] > 59:
        raise HoursError(
            _("L'heure « %(text)s » n'existe pas.") % {"text": match.group(0)}
        )
    if end <= start and end != (0, 0):
        raise HoursError(
            _("« %(text)s » : l'heure de fin est avant l'heure de début.")
            % {"text": match.group(0)}
        )
    return f"{start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}"


def _fix_day(match: re.Match[str]) -> str:
    word = match.group(1)
    return _FRENCH_DAYS.get(word.lower(), word)


def normalise(raw: str) -> str:
    """A valid OSM opening_hours string for ``raw``, or HoursError."""
    text = " ".join(raw.replace("–", "-").replace("—", "-").split()).strip(" ;")
    if not text:
        raise HoursError(_("Les horaires sont vides."))
    if _parses(text, strict=True):
        return text
    fixed = _lenient_fixes(text)
    if _parses(fixed, strict=False):
        return fixed
    if _parses(text, strict=False):
        return text  # valid OSM with warnings the fixes could not remove
    raise HoursError(
        _(
            "Horaires illisibles : « %(raw)s ». Exemple attendu : "
            "« Mo-Fr 09:00-12:00; We[2,4] 14:00-17:00; PH off »."
        )
        % {"raw": raw.strip()}
    )


def _lenient_fixes(text: str) -> str:
    """French data entry habits rewritten in OSM syntax."""
    text = _HOLIDAYS_OFF.sub("; PH off", text)
    text = re.sub(r"\b(du|le|les)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*,\s*;", ";", text)
    text = re.sub(r"\s+au\s+", "-", text)  # "lundi au vendredi"
    text = re.sub(r"\s+et\s+", ",", text)
    text = _DAY_WORD.sub(_fix_day, text)
    text = _RANGE.sub(_fix_range, text)
    text = re.sub(r"\s*;\s*", "; ", text).strip(" ;")
    return re.sub(r"\s*,\s*", ",", text)


def _parses(text: str, strict: bool) -> bool:
    """Whether opening-hours-py reads ``text``; ``strict`` also refuses the
    lenient forms it warns about (lower-case days…), which we rewrite."""
    try:
        oh = parse(text)
    except (SyntaxError, ValueError, ParserError):
        return False
    return not (strict and oh.warnings)


def closure_period(start: date, end: date) -> Period:
    """Closure days from a form are inclusive: start 00:00 to the day after end."""
    return Period(
        datetime.combine(start, time(), PARIS),
        datetime.combine(end + timedelta(days=1), time(), PARIS),
    )


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


def _open_intervals(raw: str, start: datetime, end: datetime) -> Iterator[Session]:
    for a, b, state, _comment in parse(raw).intervals(
        start.astimezone(PARIS), end.astimezone(PARIS)
    ):
        if state == State.OPEN:
            yield Session(a, b)


def sessions(
    raw: str, start: datetime, end: datetime, closures: Sequence[Period] = ()
) -> list[Session]:
    """Open intervals of ``raw`` between start and end, minus closures."""
    found: list[Session] = []
    for interval in _open_intervals(raw, start, end):
        found += _minus(interval.start, interval.end, closures)
    return found


def is_open(raw: str, at: datetime, closures: Sequence[Period] = ()) -> bool:
    if any(c.start <= at < c.end for c in closures):
        return False
    return _is_open(raw, at)


@lru_cache(maxsize=8192)
def _is_open(raw: str, at: datetime) -> bool:
    # Cached: one search asks the same few schedules at the same moment.
    return bool(parse(raw).is_open(at.astimezone(PARIS)))


def next_session(
    raw: str, after: datetime, closures: Sequence[Period] = (), horizon_days: int = 120
) -> Session | None:
    """The session in progress at ``after`` (with its real start), else the next."""
    return _next_session(raw, after, tuple(closures), horizon_days)


@lru_cache(maxsize=4096)
def _next_session(
    raw: str, after: datetime, closures: tuple[Period, ...], horizon_days: int
) -> Session | None:
    # Cached: a page shows many permanences with the same hours at the same moment.
    # Start a day early so that a session already under way keeps its start time;
    # stop at the first one: intervals are produced lazily.
    window_end = after + timedelta(days=horizon_days)
    for interval in _open_intervals(raw, after - timedelta(days=1), window_end):
        for piece in _minus(interval.start, interval.end, closures):
            if piece.end > after:
                return piece
    return None
