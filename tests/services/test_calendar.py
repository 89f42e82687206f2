""".ics of a permanence: real starts, stable UIDs, validity, every other week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from api.services.schedules.calendar import permanence_calendar
from api.services.schedules.hours import Period, Schedule, closure_period

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


def events(
    schedule: Schedule, now: datetime, closures: list[Period] | None = None
) -> list[dict[str, str]]:
    text = permanence_calendar(
        "perm-1", "Aide, repas", "Tours", "https://x/s", schedule, closures or [], now
    )
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded
    found: list[dict[str, str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            found.append({})
        elif found and ":" in line and line != "END:VEVENT":
            key, _colon, value = line.partition(":")
            found[-1][key] = value
    return found


def starts(found: list[dict[str, str]]) -> list[date]:
    return [
        datetime.strptime(e["DTSTART"], "%Y%m%dT%H%M%SZ")
        .replace(tzinfo=UTC)
        .astimezone(PARIS)
        .date()
        for e in found
    ]


def test_a_session_under_way_keeps_its_real_start_and_a_stable_uid() -> None:
    weekly = Schedule("Tu 09:00-12:00")
    first = events(weekly, paris(2026, 12, 8, 10, 30))  # in the middle of it
    assert first[0]["DTSTART"] == "20261208T080000Z"  # 09:00 in Paris
    assert first[0]["DTEND"] == "20261208T110000Z"
    assert first[0]["UID"] == "perm-1-20261208T080000Z@reperes"
    # Fetched again later: the same events keep the same UIDs.
    again = events(weekly, paris(2026, 12, 8, 11, 45))
    assert [e["UID"] for e in again] == [e["UID"] for e in first]
    # Once it is over, it is no longer listed; the next ones are unchanged.
    after = events(weekly, paris(2026, 12, 8, 12, 30))
    assert [e["UID"] for e in after][:5] == [e["UID"] for e in first][1:6]
    assert first[0]["SUMMARY"] == "Aide\\, repas"


def test_no_event_after_the_end_of_validity_nor_before_its_start() -> None:
    until = Schedule("Mo 09:00-12:00", valid_until=date(2027, 3, 31))
    found = starts(events(until, paris(2027, 3, 1)))
    assert found == [date(2027, 3, 1), date(2027, 3, 8)] + [
        date(2027, 3, 15),
        date(2027, 3, 22),
        date(2027, 3, 29),
    ]
    later = Schedule("Mo 09:00-12:00", valid_from=date(2027, 4, 15))
    assert starts(events(later, paris(2027, 4, 1)))[0] == date(2027, 4, 19)


def test_every_other_tuesday_across_new_year_with_its_anchor() -> None:
    anchored = Schedule("week 01-53/2 Tu 09:00-12:00", anchor=date(2026, 12, 1))
    found = starts(events(anchored, paris(2026, 12, 20)))
    assert found[:3] == [date(2026, 12, 29), date(2027, 1, 12), date(2027, 1, 26)]
    assert all(b - a == timedelta(days=14) for a, b in pairwise(found))


def test_closures_and_public_holidays_have_no_event() -> None:
    schedule = Schedule("Fr 09:00-12:00; PH off")
    closed = [closure_period(date(2027, 1, 8), date(2027, 1, 8))]
    found = starts(events(schedule, paris(2026, 12, 20), closed))
    assert date(2026, 12, 25) not in found  # Christmas
    assert date(2027, 1, 8) not in found  # closed that day
    assert date(2027, 1, 1) not in found and date(2027, 1, 15) in found


def test_round_the_clock_hours_give_no_ever_moving_event() -> None:
    assert events(Schedule("24/7"), paris(2026, 12, 6, 16, 7)) == []
