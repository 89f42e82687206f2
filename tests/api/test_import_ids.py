"""Ids of imported rows: unique, version-7 UUIDs, each after the one before
(so that the indexes keyed by them only grow at their right edge)."""

from __future__ import annotations

from api.services.imports.ids import ordered_uuid


def test_ordered_ids_are_unique_increasing_version_7_uuids() -> None:
    ids = [ordered_uuid() for _ in range(20_000)]  # many per millisecond
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [i.hex for i in ids] == sorted(i.hex for i in ids)  # SQLite's CHAR(32)
    assert {i.version for i in ids} == {7}
    assert {i.variant for i in ids} == {ids[0].variant} and ids[
        0
    ].variant == "specified in RFC 4122"
