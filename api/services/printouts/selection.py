"""A social worker's referral sheet, whole in its URL (no account, no cookie).

    ids=<service>,<service>     the services, in order
    at.<service>=<place>        the branch chosen for a service held in several
    note=…                      a short free note for the person
    date=YYYY-MM-DD             a date for the person (an appointment)

The sheet's form (shown with ``edit=1``) sends the same names, plus
``remove=<service>`` or ``update``; the page then redirects to the canonical URL.
What is shared is that URL without ``edit``: the person gets the sheet alone.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

MAX_SELECTION = 30
NOTE_MAX = 280
PLACE_PREFIX = "at."
_SPACES = re.compile(r"\s+")
# Typed by hand where the browser has no date picker: 12/01/2027, 12-1-2027.
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def parse_id(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        return None


def parse_date(raw: str) -> date | None:
    """An ISO date (the date picker's) or a French jj/mm/aaaa; None if neither."""
    text = raw.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        match = _FRENCH_DATE.fullmatch(text)
        if match is None:
            return None
        try:
            day = date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return day if 2000 <= day.year <= 2100 else None


def clean_note(raw: str) -> str:
    """One line of plain text: control characters and runs of spaces folded."""
    printable = "".join(c if c.isprintable() else " " for c in raw)
    return _SPACES.sub(" ", printable).strip()


@dataclass
class Selection:
    ids: list[uuid.UUID] = field(default_factory=list)
    places: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    note: str = ""
    day: date | None = None
    # What the link held that could not be kept, to say so on the page.
    damaged: int = 0
    dropped_over_max: int = 0
    note_cut: bool = False
    bad_date: str | None = None
    edited: bool = False  # sent by the sheet's form: redirect to the clean URL
    # The social worker's view, with the form; the person gets the sheet alone.
    editing: bool = False

    def query(self, editing: bool = False) -> str:
        """The canonical query string (compact ids: it also goes in a QR code)."""
        pairs: list[tuple[str, str]] = []
        if self.ids:
            pairs.append(("ids", ",".join(i.hex for i in self.ids)))
        for service_id in self.ids:
            if service_id in self.places:
                pairs.append(
                    (PLACE_PREFIX + service_id.hex, self.places[service_id].hex)
                )
        if self.note:
            pairs.append(("note", self.note))
        if self.day:
            pairs.append(("date", self.day.isoformat()))
        if editing:
            pairs.append(("edit", "1"))
        return urlencode(pairs)

    def keep_only(self, found: Sequence[uuid.UUID]) -> int:
        """Drop the ids that name no listed service; how many were dropped."""
        before = len(self.ids)
        self.ids = [i for i in self.ids if i in found]
        self.places = {s: p for s, p in self.places.items() if s in self.ids}
        return before - len(self.ids)


def parse(params: Mapping[str, str], removed: Sequence[str] = ()) -> Selection:
    """The sheet's state from query parameters; never fails on bad input."""
    state = Selection()
    gone = {i for i in (parse_id(r) for r in removed) if i is not None}
    for token in params.get("ids", "").split(","):
        if not token.strip():
            continue
        service_id = parse_id(token)
        if service_id is None:
            state.damaged += 1
        elif service_id not in state.ids and service_id not in gone:
            state.ids.append(service_id)
    state.dropped_over_max = max(0, len(state.ids) - MAX_SELECTION)
    state.ids = state.ids[:MAX_SELECTION]
    for name, value in params.items():
        if not name.startswith(PLACE_PREFIX):
            continue
        service_id = parse_id(name[len(PLACE_PREFIX) :])
        place_id = parse_id(value) if value else None
        if service_id in state.ids and place_id is not None:
            state.places[service_id] = place_id
    note = clean_note(params.get("note", ""))
    state.note_cut = len(note) > NOTE_MAX
    state.note = note[:NOTE_MAX].rstrip()
    raw_date = params.get("date", "").strip()
    if raw_date:
        state.day = parse_date(raw_date)
        if state.day is None:
            state.bad_date = raw_date[:40]
    state.edited = bool(removed) or "update" in params
    state.editing = params.get("edit") == "1"
    return state
