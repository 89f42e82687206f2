"""SQLite: where a service is held and what it is about, as words of its
full-text document (its ``tags`` column).

Near me, the words typed (or the themes they mean) and the places nearby must
meet. Streamed from the full-text index, a broad word (« aide »: 58,000
documents at 100,000 services) sends every match through SQLite's virtual
machine to probe the places nearby; listing the places nearby first reads
every point in the circle from the R*Tree (17,000 within 3 km of the centre
of Tours: 25–30 ms) although few of them match. Written as words — grid cells
of the service's places, and its themes and publics — both become terms of one
FTS5 query (``… AND tags : (gc… OR …)``), and FTS5 intersects its own lists,
skipping through the long one with its doclist index: only the documents that
match and lie in a cell around the circle come out, and only their points
are read. The cells only narrow the candidates to a square around the
circle; the haversine still decides.

Within 1 km the circle holds at most ~2,000 points even in a town centre,
which the R*Tree reads in ~2.5 ms: the places nearby are listed first and
the words found among them with the cells (``sql.near_text``). Beyond it,
the words' candidates are fewer than the points around (``sql.near_words``:
« avocat » within 3 km, 75 → 15 ms of CPU at 100,000 services).

Cells are 0.01° of latitude by 0.0148° of longitude (about 1.1 km square at
the territory's latitude, 47.4°): a 3 km circle takes 42 of them. Migration
0018 computes the same words in SQL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from api.services.places.geo import BoundingBox, bounding_box, haversine_m

LAT_STEP = 0.01
LON_STEP = 0.0148
WORDS_FIRST_BEYOND_M = 1000.0
# Past this many cells they cost more than they save: the search streams
# the words' matches against the places the R*Tree reads.
MAX_CELLS = 64
# The facets a theme word means (``sql.matches``), and their tags' prefixes.
THEME_FACETS = {"category": "tc", "public": "tp"}


def _cell(row: int, column: int) -> str:
    # Letters and digits only, one token for the tokenizer ("-" would split).
    return f"gc{row}x{column}".replace("-", "m")


def theme_tag(facet: str, code: str) -> str:
    """The word of a theme or public code ("tc" + the code without dashes:
    the 69 theme codes and 14 publics stay distinct)."""
    return THEME_FACETS[facet] + code.replace("-", "")


def has_point(place: Any) -> bool:
    """Whether a search may give a distance to this place (or None): not to a
    confidential one, since a distance would give it away."""
    return (
        place is not None
        and not place.confidential
        and place.lat is not None
        and place.lon is not None
    )


def document_tags(
    pairs: Iterable[tuple[Any, Any]], facets: Iterable[tuple[str, str]]
) -> str:
    """The tags of a service: the cells of its (permanence, place) pairs'
    public places and its theme and public facets (``index.build_facets``)."""
    words = set(cells_of((p.lat, p.lon) for _, p in pairs if has_point(p)))
    words |= {theme_tag(f, v) for f, v in facets if f in THEME_FACETS}
    return " ".join(sorted(words))


def cells_of(points: Iterable[tuple[float, float]]) -> set[str]:
    """The cell words of these (lat, lon) points."""
    return {
        _cell(math.floor(lat / LAT_STEP), math.floor(lon / LON_STEP))
        for lat, lon in points
    }


def cover(box: BoundingBox) -> list[str] | None:
    """The cell words whose cells meet this circle's box, or None when a
    larger circle would need too many."""
    rows = range(
        math.floor(box.min_lat / LAT_STEP), math.floor(box.max_lat / LAT_STEP) + 1
    )
    columns = range(
        math.floor(box.min_lon / LON_STEP), math.floor(box.max_lon / LON_STEP) + 1
    )
    if len(rows) * len(columns) > MAX_CELLS:
        return None
    return [_cell(row, column) for row in rows for column in columns]


# A cell's edges along parallels bow a few centimetres away from the chord
# between its corners (0.03 m for 1.1 km at 47°): corners this much inside
# the circle keep the whole cell inside it.
INSIDE_MARGIN_M = 1.0


def inside(lat: float, lon: float, radius_m: float) -> tuple[str, ...] | None:
    """The cell words whose whole cell lies within ``radius_m`` of (lat, lon):
    every public place tagged with one is within the radius, with no distance
    to measure (a count that stops at its cap, ``sql.near_words``). None when
    no cell does, or too many."""
    box = bounding_box(lat, lon, radius_m)
    limit = radius_m - INSIDE_MARGIN_M
    found = []
    for row in range(
        math.floor(box.min_lat / LAT_STEP), math.floor(box.max_lat / LAT_STEP) + 1
    ):
        for column in range(
            math.floor(box.min_lon / LON_STEP), math.floor(box.max_lon / LON_STEP) + 1
        ):
            corners = [
                ((row + i) * LAT_STEP, (column + j) * LON_STEP)
                for i in (0, 1)
                for j in (0, 1)
            ]
            if all(haversine_m(lat, lon, a, b) <= limit for a, b in corners):
                found.append(_cell(row, column))
    return tuple(found) if 0 < len(found) <= MAX_CELLS else None


def fts5_tags(words: Iterable[str]) -> str:
    """The FTS5 condition "tagged with one of these words"."""
    return "tags : (" + " OR ".join(f'"{word}"' for word in words) + ")"


def fts5_in_cells(query: str, cells: Iterable[str]) -> str:
    """An FTS5 query restricted to the documents tagged with one of these
    cells."""
    return f"({query}) AND {fts5_tags(cells)}"
