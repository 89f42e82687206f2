"""Signed, expiring links sent by mail: password reset, "still valid".

A link carries its whole payload, signed with ``settings.secret_key`` (no table
of pending tokens to clean up), with the purpose as salt so a link made for
one purpose is refused for another. Payloads are readable by whoever holds the
link (signed, not encrypted): they carry ids, never secrets.

Purposes and their payloads (ids as strings):

- ``reset``: ``user``, ``fp`` — a fingerprint of the password hash, so the
  link dies once the password changes (used, or made before a change); 2 hours.
- ``confirm``: ``org``, ``services`` (list of ids); 30 days. Lets a partner
  click "still valid" in a reminder mail without signing in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from enum import Enum
from typing import Any, Literal
from urllib.parse import quote

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer

from api.i18n import _
from api.settings import Settings

Purpose = Literal["reset", "confirm"]
# Seconds a link stays valid, by purpose.
MAX_AGE: dict[str, int] = {
    "reset": 2 * 3600,
    "confirm": 30 * 86400,
}
# Keys a payload must have, checked when made and when read.
PAYLOAD_KEYS: dict[str, frozenset[str]] = {
    "reset": frozenset({"user", "fp"}),
    "confirm": frozenset({"org", "services"}),
}


class LinkError(ValueError):
    """A link that cannot be used; ``str()`` is a plain message for the person.

    ``expired`` tells an old but genuine link (ask for a new one) from one that
    was cut, altered or made for something else.
    """

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.expired = expired


class _JSON:
    """Compact JSON that also takes UUIDs and enums (read back as strings)."""

    @staticmethod
    def dumps(obj: Any) -> str:
        return json.dumps(obj, separators=(",", ":"), default=_plain)

    @staticmethod
    def loads(text: str | bytes) -> Any:
        return json.loads(text)


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot put {type(value).__name__} in a link")


class _LinkSerializer(URLSafeTimedSerializer):
    """Never compressed: a compressed token starts with ".", and a path segment
    starting with a dot is refused by the common "deny dotfiles" proxy rule."""

    def dump_payload(self, obj: Any) -> bytes:
        return base64_encode(Serializer.dump_payload(self, obj))


def _serializer(purpose: str, settings: Settings) -> URLSafeTimedSerializer:
    if purpose not in MAX_AGE:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return _LinkSerializer(settings.secret_key, salt=purpose, serializer=_JSON)


def make(purpose: Purpose, payload: Mapping[str, Any], settings: Settings) -> str:
    """A URL-safe token for ``payload``, valid ``MAX_AGE[purpose]`` seconds."""
    serializer = _serializer(purpose, settings)
    missing = PAYLOAD_KEYS[purpose] - payload.keys()
    if missing:
        raise ValueError(f"{purpose} link without {', '.join(sorted(missing))}")
    return serializer.dumps(dict(payload))


def read(
    purpose: Purpose, token: str, settings: Settings, max_age: int | None = None
) -> dict[str, Any]:
    """The payload of a genuine, unexpired ``purpose`` token, else ``LinkError``.

    ``max_age`` (seconds) defaults to ``MAX_AGE[purpose]``.
    """
    serializer = _serializer(purpose, settings)
    age = MAX_AGE[purpose] if max_age is None else max_age
    try:
        payload = serializer.loads(token, max_age=age)
    except SignatureExpired as error:  # genuine, only too old
        raise LinkError(
            _("Ce lien a expiré. Demandez-en un nouveau."), expired=True
        ) from error
    except BadData as error:  # altered, cut, or made for another purpose
        raise _invalid() from error
    if not isinstance(payload, dict) or PAYLOAD_KEYS[purpose] - payload.keys():
        raise _invalid()
    return payload


def absolute(path: str, settings: Settings) -> str:
    """A link for a mail: ``base_url`` + ``path``."""
    return f"{settings.base_url.rstrip('/')}/{path.lstrip('/')}"


def url(path: str, token: str, settings: Settings) -> str:
    """The absolute link: ``base_url`` + ``path`` + ``/`` + ``token``."""
    path = path.strip("/")
    return absolute(f"{path}/{quote(token, safe='')}" if path else token, settings)


def password_fingerprint(password_hash: str | None, settings: Settings) -> str:
    """A short keyed digest of the password hash, to put in a reset link.

    Keyed with the secret so the readable payload reveals nothing about the
    hash; changes whenever the password does.
    """
    return hmac.new(
        settings.secret_key.encode(), (password_hash or "").encode(), hashlib.sha256
    ).hexdigest()[:16]


def reset_payload(
    user_id: uuid.UUID, password_hash: str | None, settings: Settings
) -> dict[str, str]:
    """The payload of a reset link for this user and their current password."""
    return {"user": str(user_id), "fp": password_fingerprint(password_hash, settings)}


def check_reset(
    payload: Mapping[str, Any], password_hash: str | None, settings: Settings
) -> None:
    """Refuse a reset link once the password changed (so also once it was used)."""
    expected = password_fingerprint(password_hash, settings)
    if not hmac.compare_digest(str(payload.get("fp", "")), expected):
        raise LinkError(_("Ce lien a déjà servi. Demandez-en un nouveau."))


def _invalid() -> LinkError:
    return LinkError(_("Ce lien est incomplet ou faux. Demandez-en un nouveau."))
