"""iCalendar (RFC 5545) export of a permanence's coming sessions.

OSM opening hours say more than RRULE can (nth weekdays, public holidays,
closures, validity), so the file lists the actual sessions of the next weeks,
computed by api.services.schedules.hours like every other view of the hours (anchored
every-other-week rules included): they cannot disagree with the pages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.services.exports import licence
from api.services.schedules import hours

# Six months: what a subscribed calendar shows ahead, as the pages can.
HORIZON_DAYS = 184


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # keep UTF-8 whole
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def permanence_events(
    uid: str,
    title: str,
    location: str,
    url: str,
    schedule: hours.Schedule | str,
    closures: list[hours.Period],
    now: datetime,
) -> list[str]:
    """The VEVENT lines of the sessions from the one under way at ``now`` to
    HORIZON_DAYS ahead, within the permanence's validity and in step with its
    every-other-week anchor. Each event starts at the session's real start,
    which also makes its UID: fetching the file again updates events instead
    of adding some."""
    if isinstance(schedule, str):
        schedule = hours.Schedule(schedule)
    found = schedule.sessions(
        now - hours.LOOKBACK, now + timedelta(days=HORIZON_DAYS), closures
    )
    # One that touches the start of what was read began earlier than we know
    # (open round the clock): its start, hence its UID, would change with
    # every fetch, so it is left out rather than duplicated.
    sessions = [s for s in found if s.end > now and s.start > now - hours.LOOKBACK]
    lines: list[str] = []
    for session in sessions:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}-{_stamp(session.start)}@reperes",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(session.start)}",
            f"DTEND:{_stamp(session.end)}",
            f"SUMMARY:{_escape(title)}",
            f"LOCATION:{_escape(location)}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    return lines


def calendar(events: list[str], name: str | None = None) -> str:
    """A whole VCALENDAR around ``events``, with the data's licence."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Reperes//Permanences//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    lines.append(f"X-WR-CALDESC:{_escape(licence.current().attribution)}")
    lines += events
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def permanence_calendar(
    uid: str,
    title: str,
    location: str,
    url: str,
    schedule: hours.Schedule | str,
    closures: list[hours.Period],
    now: datetime,
) -> str:
    """One permanence's sessions (see permanence_events) as a file."""
    return calendar(
        permanence_events(uid, title, location, url, schedule, closures, now)
    )
