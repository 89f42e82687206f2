"""The communes of the territory (data/sources/communes-37-44.json): turn what
a resident types — a name or a postal code — into INSEE codes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlmodel import Session, col, select

from api.models import Place
from api.services.search.text import fold

SOURCE = (
    Path(__file__).resolve().parents[3] / "data" / "sources" / "communes-37-44.json"
)
_FIVE_DIGITS = re.compile(r"^\d{5}$")
_SEPARATORS = re.compile(r"[\s\-‐‑'’.]+")
# Abbreviations people write in commune names.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    postcodes: tuple[str, ...]


def name_key(name: str) -> str:
    """'Saint-Pierre-des-Corps', 'saint pierre des corps', 'St Pierre des
    Corps' -> 'saint pierre des corps'; 'Reze' and 'Rezé' -> 'reze'."""
    parts = [p for p in _SEPARATORS.split(fold(name)) if p]
    return " ".join(_ABBREVIATIONS.get(p, p) for p in parts)


@cache
def communes() -> tuple[Commune, ...]:
    rows = json.loads(SOURCE.read_text("utf-8"))
    return tuple(
        Commune(row["code"], row["nom"], tuple(row["codesPostaux"])) for row in rows
    )


@cache
def _lookups() -> tuple[dict[str, Commune], dict[str, list[str]], dict[str, list[str]]]:
    by_insee = {c.insee: c for c in communes()}
    by_postcode: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for commune in communes():
        for postcode in commune.postcodes:
            by_postcode.setdefault(postcode, []).append(commune.insee)
        by_name.setdefault(name_key(commune.name), []).append(commune.insee)
    return by_insee, by_postcode, by_name


def resolve_place(typed: str) -> list[str]:
    """INSEE codes of a commune name or postal code as a resident types it
    (five digits are a postal code: "37100" is Tours); [] when none."""
    by_insee, by_postcode, by_name = _lookups()
    value = typed.strip()
    if _FIVE_DIGITS.match(value):
        return list(by_postcode.get(value, []))
    return list(by_name.get(name_key(value), []))


def resolve_commune(value: str) -> list[str]:
    """The API's ``commune``: an INSEE code first, else a postal code or a name."""
    by_insee, _, _ = _lookups()
    code = value.strip().upper()
    if code in by_insee:
        return [code]
    return resolve_place(value)


def names() -> list[str]:
    """Commune names, sorted for a French reader, for suggestions."""
    return sorted({c.name for c in communes()}, key=name_key)


def name_of(insee: str) -> str | None:
    commune = _lookups()[0].get(insee)
    return commune.name if commune else None


def names_in_directory(session: Session) -> list[str]:
    """Names of the communes where the directory has a place: the suggestions
    of the place field (every commune still resolves when typed)."""
    codes = session.exec(
        select(Place.insee_code)
        .where(col(Place.deleted_at).is_(None), col(Place.insee_code).is_not(None))
        .distinct()
    ).all()
    found = {name for code in codes if code and (name := name_of(code))}
    return sorted(found, key=name_key)
