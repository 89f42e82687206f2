"""Pydantic's validation errors in the reader's language.

Pydantic writes its messages in English; residents and partners read French,
Arabic, Dari… so each error type gets a gettext message (our own ``ValueError``
messages are translated already and pass through).
"""

from __future__ import annotations

import re
from typing import Any

from api.i18n import _

# What no text typed by a person holds: control characters (C0, DEL, C1), lone
# surrogates and private-use characters. NUL breaks PostgreSQL, a bare CR
# breaks calendar files and e-mails, private-use code points are invisible.
_REFUSED = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)
_REFUSED_IN_MULTILINE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)


def clean_text(value: str, multiline: bool = False) -> str:
    """The one input policy for text: ``value`` (with CRLF line ends made LF
    where lines are allowed), or a translated ``ValueError``."""
    if multiline:
        value = value.replace("\r\n", "\n")
    found = (_REFUSED_IN_MULTILINE if multiline else _REFUSED).search(value)
    if found is None:
        return value
    if found.group(0) in "\n\r" and not multiline:
        raise ValueError(
            _("Ce champ tient sur une ligne : retirez le retour à la ligne.")
        )
    raise ValueError(
        _("Caractère invisible non autorisé (%(code)s) : retirez-le.")
        % {"code": f"U+{ord(found.group(0)):04X}"}
    )


def clean_texts(value: Any, multiline: bool = False) -> Any:
    """``clean_text`` on a string or on each string of a list; other values
    are left to the field's own validation."""
    if isinstance(value, str):
        return clean_text(value, multiline)
    if isinstance(value, list):
        return [clean_text(v, multiline) if isinstance(v, str) else v for v in value]
    return value


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
