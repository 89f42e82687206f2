"""Pydantic's validation errors in the reader's language.

Pydantic writes its messages in English; residents and partners read French,
Arabic, Dari… so each error type gets a gettext message (our own ``ValueError``
messages are translated already and pass through).
"""

from __future__ import annotations

from typing import Any

from api.i18n import _


def message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    if kind == "missing":
        return _("Ce champ est obligatoire.")
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("Ce champ est obligatoire.")
        return _("Au moins %(n)s caractères.") % {"n": ctx.get("min_length")}
    if kind == "string_too_long":
        return _("Au plus %(n)s caractères.") % {"n": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        return _("Le format n'est pas valide.")
    if kind in ("too_short", "list_too_short"):
        return _("Choisissez au moins %(n)s élément(s).") % {"n": ctx.get("min_length")}
    if kind in ("too_long", "list_too_long"):
        return _("Au plus %(n)s éléments.") % {"n": ctx.get("max_length")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("La valeur doit être au moins %(n)s.") % {
            "n": ctx.get("ge", ctx.get("gt"))
        }
    if kind in ("less_than_equal", "less_than"):
        return _("La valeur doit être au plus %(n)s.") % {
            "n": ctx.get("le", ctx.get("lt"))
        }
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return _("Saisissez un nombre.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Saisissez une date valide (AAAA-MM-JJ).")
    if kind in ("enum", "literal_error"):
        return _("Choisissez une des valeurs proposées.")
    if kind.startswith("uuid"):
        return _("Identifiant invalide.")
    if kind.startswith("bool"):
        return _("Répondez oui ou non.")
    if kind == "extra_forbidden":
        return _("Ce champ n'existe pas.")
    if kind in ("json_invalid", "model_attributes_type", "dict_type", "model_type"):
        return _("Le contenu envoyé n'est pas un objet JSON valide.")
    return _("Valeur invalide.")


def translated(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """FastAPI's 422 list with each ``msg`` in the request's language."""
    return [
        {
            "loc": list(e.get("loc", ())),
            "msg": message(e),
            "type": e.get("type", ""),
        }
        for e in errors
    ]


def by_field(errors: list[dict[str, Any]]) -> dict[str, str]:
    """Form errors: the first message per top-level field ("" for the whole form)."""
    found: dict[str, str] = {}
    for error in errors:
        loc = [part for part in error.get("loc", ()) if part != "body"]
        found.setdefault(str(loc[0]) if loc else "", message(error))
    return found
