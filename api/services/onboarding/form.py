"""The request form (« Référencer ma structure »): its fields read and checked,
every refusal translated and named by field; and what keeps robots out without
a third-party captcha — a field people never see (honeypot) and a signed
timestamp (a form sent within seconds of being shown, or too old, is refused).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

from api.i18n import _
from api.services.accounts.auth import EMAIL
from api.services.onboarding.organizations import compact_siret, siret_error
from api.services.places.communes import name_of, resolve_commune
from api.validation import clean_text

HONEYPOT = "site_internet"
STAMP = "depuis"
# A person reads and types for longer than this; a robot posts at once.
MIN_SECONDS = 3
MAX_SECONDS = 6 * 3600
LIMITS = {"name": 200, "contact_name": 200, "contact_email": 254}
DESCRIPTION_MAX = 1000
_PHONE = re.compile(r"^\+?[\d .()-]{6,31}$")


@dataclass(frozen=True)
class RequestValues:
    """A checked request: what the queue shows a coordinator."""

    name: str
    siret: str
    insee_code: str
    contact_name: str
    contact_email: str
    contact_phone: str | None
    description: str | None


class _SignedAt(TimestampSigner):
    """Signs with a given time instead of now."""

    def __init__(self, *args: Any, at: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._at = at

    def get_timestamp(self) -> int:
        return self._at


def _serializer(secret: str, at: float | None = None) -> URLSafeTimedSerializer:
    if at is None:
        return URLSafeTimedSerializer(secret, salt="onboarding-form")
    return URLSafeTimedSerializer(
        secret, salt="onboarding-form", signer=_SignedAt, signer_kwargs={"at": int(at)}
    )


def stamp(secret: str, at: float | None = None) -> str:
    """The signed time the form was shown (``at``: another time, for tests)."""
    return str(_serializer(secret, at).dumps("referencer"))


def stamp_error(secret: str, value: str, now: float | None = None) -> str | None:
    """Why the form's timestamp is refused (translated), or None."""
    try:
        _payload, signed_at = _serializer(secret).loads(
            value, max_age=MAX_SECONDS, return_timestamp=True
        )
    except BadData:
        return _("Ce formulaire a expiré. Rechargez la page et envoyez-le de nouveau.")
    elapsed = (now or time.time()) - signed_at.timestamp()
    if elapsed < MIN_SECONDS:
        return _(
            "Formulaire envoyé trop vite. Vérifiez vos réponses et envoyez-le "
            "de nouveau."
        )
    return None


def is_robot(form: Mapping[str, object]) -> bool:
    """The invisible field was filled in: only a robot does that."""
    return bool(str(form.get(HONEYPOT) or "").strip())


def _text(form: Mapping[str, object], name: str) -> str:
    return str(form.get(name) or "").strip()


def read(form: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    """The values as typed (to show again) and the refusals by field."""
    values = {
        name: _text(form, name)
        for name in (
            "name",
            "siret",
            "commune",
            "contact_name",
            "contact_email",
            "contact_phone",
            "description",
        )
    }
    errors: dict[str, str] = {}
    for name, value in values.items():
        try:
            clean_text(value, multiline=name == "description")
        except ValueError as error:
            errors[name] = str(error)
    for name, limit in LIMITS.items():
        if name not in errors and len(values[name]) > limit:
            errors[name] = _("%(n)s caractères au plus.") % {"n": limit}
    for name in ("name", "siret", "commune", "contact_name", "contact_email"):
        if name not in errors and not values[name]:
            errors[name] = _("Ce champ est obligatoire.")
    _check_formats(values, errors)
    return values, errors


def _check_formats(values: dict[str, str], errors: dict[str, str]) -> None:
    if "siret" not in errors and (problem := siret_error(values["siret"])):
        errors["siret"] = problem
    if "commune" not in errors and len(resolve_commune(values["commune"])) != 1:
        errors["commune"] = _(
            "Commune inconnue : choisissez-la dans la liste (nom ou code postal)."
        )
    email = values["contact_email"]
    if "contact_email" not in errors and not EMAIL.match(email):
        errors["contact_email"] = _("Adresse e-mail invalide.")
    phone = values["contact_phone"]
    if phone and "contact_phone" not in errors and not _PHONE.match(phone):
        errors["contact_phone"] = _("Numéro de téléphone invalide.")
    if len(values["description"]) > DESCRIPTION_MAX and "description" not in errors:
        errors["description"] = _("%(n)s caractères au plus.") % {"n": DESCRIPTION_MAX}


def checked(values: dict[str, str]) -> RequestValues:
    """The request to store, from values ``read`` found no fault in."""
    insee = resolve_commune(values["commune"])[0]
    description = clean_text(values["description"], multiline=True)
    return RequestValues(
        name=values["name"],
        siret=compact_siret(values["siret"]),
        insee_code=insee,
        contact_name=values["contact_name"],
        contact_email=values["contact_email"].lower(),
        contact_phone=values["contact_phone"] or None,
        description=description or None,
    )


def commune_label(insee: str) -> str:
    return name_of(insee) or insee
