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

import secrets
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0  # (milliseconds << 12) | counter of the last id made


def ordered_uuid() -> uuid.UUID:
    """A version-7 UUID greater than every one this process made before
    (within a millisecond the 12-bit counter goes on, past it the
    timestamp runs a little ahead rather than go back)."""
    global _last
    with _lock:
        _last = max(_last + 1, (time.time_ns() // 1_000_000) << 12)
        stamp = _last
    value = (
        (stamp >> 12) << 80
        | 0x7 << 76
        | (stamp & 0xFFF) << 64
        | 0b10 << 62
        | secrets.randbits(62)
    )
    return uuid.UUID(int=value)
