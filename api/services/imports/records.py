"""What a reader hands the runner: validated values, or a reason per line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Rejection:
    line: int
    reason: str  # already translated into the reader's language


@dataclass
class OrgRecord:
    line: int
    source: str
    source_id: str
    values: dict[str, Any]
    own_id: Any = None  # as ServiceRecord.own_id


@dataclass(frozen=True)
class PlaceRecord:
    """A place is found again by where it is: services at the same address
    share it, and re-reading the same file finds the same key."""

    name: str
    address: str | None
    postal_code: str | None
    commune: str
    insee_code: str | None
    lat: float | None
    lon: float | None

    def key(self, org_key: str) -> str:
        parts = (
            org_key,
            self.address or "",
            self.postal_code or "",
            self.commune.casefold(),
            f"{self.lat:.6f}" if self.lat is not None else "",
            f"{self.lon:.6f}" if self.lon is not None else "",
        )
        digest = hashlib.sha1("|".join(parts).encode(), usedforsecurity=False)
        return "place:" + digest.hexdigest()[:24]

    FIELDS = ("name", "address", "postal_code", "commune", "insee_code", "lat", "lon")

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "address": self.address,
            "postal_code": self.postal_code,
            "commune": self.commune,
            "insee_code": self.insee_code,
            "lat": self.lat,
            "lon": self.lon,
        }


@dataclass
class PermanenceRecord:
    place: PlaceRecord | None
    mode: str
    opening_hours: str
    valid_from: Any = None
    valid_until: Any = None
    note: str | None = None

    def values(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "opening_hours": self.opening_hours,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "note": self.note,
        }


@dataclass
class ServiceRecord:
    line: int
    source: str
    source_id: str
    # The organisation: (source, source_id) of an OrgRecord of the same
    # import, or None when the import is for one organisation (partner space).
    org: tuple[str, str] | None
    values: dict[str, Any]
    permanences: list[PermanenceRecord] = field(default_factory=list)
    # When set, the row is one of ours (an export of this directory read
    # back): it is found by id whatever its source.
    own_id: Any = None


@dataclass
class Batch:
    """Everything read from one file."""

    organizations: list[OrgRecord] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    rows: int = 0
