"""SQLite: where a service is held, as words of its full-text document.

Near me, the words typed and the places nearby must meet. Streamed from the
full-text index, a broad word (« aide »: 58,000 documents at 100,000
services) sends every match through SQLite's virtual machine to probe the
places nearby (10–20 ms); asked per nearby row, FTS5 re-reads its lists for
each. Written as grid-cell words in the document's ``cells`` column, the
places become one more term of the same query (``… AND cells : (gc… OR …)``),
and FTS5 intersects the lists itself, skipping through the long one with its
doclist index: 1–2 ms for the same search within 1 km. The cells only narrow
the candidates to a square around the circle; the haversine still decides.

Two grid sizes: 0.0025° of latitude by 0.0037° of longitude (about 280 m
square at the territory's latitude, 47.4°) for small circles, and 4 × 4 of
those (about 1.1 km) for larger ones, so a circle is covered by a few dozen
cells at most. Migration 0017 computes the same words in SQL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from api.services.places.geo import BoundingBox

LAT_STEP = 0.0025
LON_STEP = 0.0037
COARSE = 4  # fine cells per coarse cell, each way
FINE_UNTIL_M = 500.0  # a smaller radius is covered with fine cells
# A 3 km circle takes 42 coarse cells; past this, the cells cost more than they save.
MAX_CELLS = 64


def _word(level: str, row: int, column: int) -> str:
    # Letters and digits only, one token for the tokenizer ("-" would split).
    return f"g{level}{row}x{column}".replace("-", "m")


def has_point(place: Any) -> bool:
    """Whether a search may give a distance to this place (or None): not to a
    confidential one, since a distance would give it away."""
    return (
        place is not None
        and not place.confidential
        and place.lat is not None
        and place.lon is not None
    )


def document_cells(pairs: Iterable[tuple[Any, Any]]) -> str:
    """The cell words of a service's (permanence, place) pairs."""
    return cells_of((p.lat, p.lon) for _, p in pairs if has_point(p))


def cells_of(points: Iterable[tuple[float, float]]) -> str:
    """The cell words of these (lat, lon) points, fine and coarse, each once."""
    words: set[str] = set()
    for lat, lon in points:
        row, column = math.floor(lat / LAT_STEP), math.floor(lon / LON_STEP)
        words.add(_word("f", row, column))
        words.add(_word("c", row // COARSE, column // COARSE))
    return " ".join(sorted(words))


def cover(box: BoundingBox, radius_m: float) -> list[str] | None:
    """The cell words whose cells meet this circle's box, or None when a
    larger circle would need too many (its search then streams the words)."""
    level, size = ("f", 1) if radius_m < FINE_UNTIL_M else ("c", COARSE)
    rows = range(
        math.floor(box.min_lat / LAT_STEP) // size,
        math.floor(box.max_lat / LAT_STEP) // size + 1,
    )
    columns = range(
        math.floor(box.min_lon / LON_STEP) // size,
        math.floor(box.max_lon / LON_STEP) // size + 1,
    )
    if len(rows) * len(columns) > MAX_CELLS:
        return None
    return [_word(level, row, column) for row in rows for column in columns]


def fts5_cells(words: list[str]) -> str:
    """The FTS5 condition "held in one of these cells"."""
    return "cells : (" + " OR ".join(words) + ")"
