"""Ids of the rows an import creates, in the order they are created.

A random UUID (version 4) lands at a random place in every index keyed by
it: the row's own primary key, its revisions', its permanences' and facets'
``service_id`` and the search tables' unique keys. At 100,000 services those
indexes span hundreds of megabytes and each insert touches a page of its own
(a third of the SQL time, and the cost per service grew with the file).
These ids are RFC 9562 version-7 UUIDs: a millisecond timestamp, then a
counter, then random bits. Ids made later sort after ids made earlier, so
the indexes only grow at their right edge; they stay unique and
unguessable (62 random bits besides the time, the same as the creation
time the rows already show).
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0  # (milliseconds << 12) | counter of the last id made
# Random bits drawn from the system 4,096 ids at a time: one ``urandom``
# call per id was a third of the ids' cost (440,000 ids per 100,000 services).
_POOL = 4096
_random: list[int] = []


def ordered_uuid() -> uuid.UUID:
    """A version-7 UUID greater than every one this process made before
    (within a millisecond the 12-bit counter goes on, past it the
    timestamp runs a little ahead rather than go back)."""
    global _last
    with _lock:
        _last = max(_last + 1, (time.time_ns() // 1_000_000) << 12)
        stamp = _last
        if not _random:
            raw = os.urandom(8 * _POOL)
            _random.extend(
                int.from_bytes(raw[i : i + 8]) >> 2 for i in range(0, len(raw), 8)
            )
        bits = _random.pop()
    return uuid.UUID(
        int=(stamp >> 12) << 80 | 0x7 << 76 | (stamp & 0xFFF) << 64 | 0b10 << 62 | bits
    )
