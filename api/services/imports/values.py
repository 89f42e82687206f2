"""Checks shared by both readers: each returns a clean value or raises
RowError with a reason in the reader's language."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from api.i18n import _
from api.services.imports.reading import cell, is_formula
from api.services.schedules import hours
from api.vocabulary import PUBLICS, SERVICE_TYPES, THEMES

_POSTCODE = re.compile(r"^\d{5}$")
_INSEE = re.compile(r"^\w{5}$")
_AREA = re.compile(r"^\w{2,9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RowError(ValueError):
    pass


def text(row: dict[str, Any], column: str, limit: int | None = None) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = cell(value)
    if value is None:
        return None
    if is_formula(value):
        raise RowError(
            _("La colonne « %(column)s » commence comme une formule de tableur.")
            % {"column": column}
        )
    if limit is not None and len(value) > limit:
        raise RowError(
            _("La colonne « %(column)s » dépasse %(limit)s caractères.")
            % {"column": column, "limit": limit}
        )
    return value


def required(row: dict[str, Any], column: str, limit: int | None = None) -> str:
    value = text(row, column, limit)
    if value is None:
        raise RowError(_("La colonne « %(column)s » est vide.") % {"column": column})
    return value


def codes(row: dict[str, Any], column: str) -> list[str]:
    """A list given as a JSON array or as comma-separated codes."""
    value = row.get(column)
    if value is None:
        return []
    if isinstance(value, list):
        items = [str(v).strip() for v in value]
    else:
        items = [v.strip() for v in str(value).split(",")]
    return list(dict.fromkeys(v for v in items if v))


def known(row: dict[str, Any], column: str, vocabulary: dict[str, str]) -> list[str]:
    found = codes(row, column)
    unknown = [c for c in found if c not in vocabulary]
    if unknown:
        raise RowError(
            _("Code inconnu dans « %(column)s » : %(codes)s.")
            % {"column": column, "codes": ", ".join(unknown[:5])}
        )
    return found


def themes(row: dict[str, Any], column: str) -> list[str]:
    return known(row, column, THEMES)


def publics(row: dict[str, Any], column: str) -> list[str]:
    return known(row, column, PUBLICS)


def service_type(row: dict[str, Any], column: str) -> str | None:
    value = text(row, column)
    if value is not None and value not in SERVICE_TYPES:
        raise RowError(
            _("Code inconnu dans « %(column)s » : %(codes)s.")
            % {"column": column, "codes": value}
        )
    return value


def email(row: dict[str, Any], column: str) -> str | None:
    value = text(row, column, 254)
    if value is not None and not _EMAIL.match(value):
        raise RowError(
            _("La colonne « %(column)s » n’est pas une adresse e-mail.")
            % {"column": column}
        )
    return value


def url(row: dict[str, Any], column: str) -> str | None:
    value = text(row, column, 500)
    if value is not None and not value.startswith(("http://", "https://")):
        raise RowError(
            _("La colonne « %(column)s » n’est pas un lien web.") % {"column": column}
        )
    return value


def pattern(row: dict[str, Any], column: str, kind: str) -> str | None:
    value = text(row, column)
    if value is None:
        return None
    rule = _POSTCODE if kind == "postcode" else _INSEE
    if not rule.match(value):
        raise RowError(
            _("La colonne « %(column)s » doit avoir 5 caractères.") % {"column": column}
        )
    return value


def areas(row: dict[str, Any], column: str) -> list[str]:
    found = codes(row, column)
    if any(not _AREA.match(code) for code in found):
        raise RowError(
            _("La colonne « %(column)s » attend des codes INSEE.") % {"column": column}
        )
    return found


def number(row: dict[str, Any], column: str, low: float, high: float) -> float | None:
    value = row.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        result = float(str(value).replace(",", ".").strip())
    except ValueError:
        result = float("nan")
    if not low <= result <= high:
        raise RowError(
            _("La colonne « %(column)s » n’est pas une coordonnée valable.")
            % {"column": column}
        )
    return result


def day(row: dict[str, Any], column: str) -> date | None:
    value = text(row, column)
    if value is None:
        return None
    try:
        if "/" in value:
            d, m, y = value.split("/")
            return date(int(y), int(m), int(d))
        return date.fromisoformat(value)
    except ValueError as error:
        raise RowError(
            _("La colonne « %(column)s » n’est pas une date (JJ/MM/AAAA).")
            % {"column": column}
        ) from error


def opening_hours(row: dict[str, Any], column: str) -> str | None:
    """Through the forms' lenient reader: French habits become OSM syntax."""
    value = text(row, column, 1000)
    if value is None:
        return None
    try:
        return hours.normalise(value)
    except hours.HoursError as error:
        raise RowError(
            _("Horaires illisibles (« %(column)s ») : %(reason)s")
            % {"column": column, "reason": str(error)}
        ) from error


def yes_no(row: dict[str, Any], column: str) -> bool:
    value = (text(row, column) or "").casefold()
    if value in ("", "non", "no", "n", "0", "false", "faux"):
        return False
    if value in ("oui", "yes", "o", "y", "1", "true", "vrai"):
        return True
    raise RowError(
        _("La colonne « %(column)s » attend oui ou non.") % {"column": column}
    )
