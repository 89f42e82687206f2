"""TEMPORARY minimal version (being replaced by the full module)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, State

PARIS = ZoneInfo("Europe/Paris")


class HoursError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Session:
    start: datetime
    end: datetime


@lru_cache(maxsize=4096)
def parse(raw: str) -> OpeningHours:
    return OpeningHours(
        raw, timezone=PARIS, country="FR", auto_country=False, auto_timezone=False
    )


def normalise(raw: str) -> str:
    try:
        parse(raw.strip())
    except SyntaxError as error:
        raise HoursError(str(error)) from error
    return raw.strip()


def closure_period(start: date, end: date) -> Period:
    return Period(
        datetime.combine(start, time(), PARIS),
        datetime.combine(end + timedelta(days=1), time(), PARIS),
    )


def sessions(
    raw: str, start: datetime, end: datetime, closures: Sequence[Period] = ()
) -> list[Session]:
    out = []
    for s, e, state, _ in parse(raw).intervals(
        start.astimezone(PARIS), end.astimezone(PARIS)
    ):
        if state == State.OPEN:
            pieces = [(s, e)]
            for c in closures:
                new = []
                for a, b in pieces:
                    if b <= c.start or a >= c.end:
                        new.append((a, b))
                        continue
                    if a < c.start:
                        new.append((a, c.start))
                    if b > c.end:
                        new.append((c.end, b))
                pieces = new
            out += [Session(a, b) for a, b in pieces]
    return out


def is_open(raw: str, at: datetime, closures: Sequence[Period] = ()) -> bool:
    if any(c.start <= at < c.end for c in closures):
        return False
    return bool(parse(raw).is_open(at.astimezone(PARIS)))


def next_session(
    raw: str, after: datetime, closures: Sequence[Period] = (), horizon_days: int = 120
) -> Session | None:
    start = after - timedelta(days=1)
    found = sessions(raw, start, after + timedelta(days=horizon_days), closures)
    return next((s for s in found if s.end > after), None)
