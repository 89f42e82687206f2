"""The person's fields of a referral, encrypted at rest (Fernet: AES-128-CBC
and HMAC-SHA256, from ``cryptography``).

The key is ``REPERES_REFERRAL_KEY``; several keys separated by commas rotate
(the first encrypts, any decrypts; ``reperes rotate-referral-key`` rewrites
every ciphertext under the first). Outside production an unset key is derived
from ``secret_key``, so a developer's machine and the tests need no set-up; in
production an unset key is a configuration error, raised as soon as a referral
is read or written.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from api.settings import Settings


class ReferralKeyMissing(RuntimeError):
    """Referrals used in production without REPERES_REFERRAL_KEY."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def _derived_key(secret_key: str) -> bytes:
    digest = hashlib.sha256(b"reperes-referrals\0" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def cipher(settings: Settings) -> MultiFernet:
    keys = [k.strip() for k in settings.referral_key.split(",") if k.strip()]
    if not keys:
        if settings.environment == "production":
            raise ReferralKeyMissing(
                "REPERES_REFERRAL_KEY must be set in production: referrals "
                "encrypt the person's data with it (`reperes referral-key` "
                "prints a new key)"
            )
        return MultiFernet([Fernet(_derived_key(settings.secret_key))])
    return MultiFernet([Fernet(key) for key in keys])


def seal(value: str | None, settings: Settings) -> str | None:
    """The ciphertext of ``value`` (None and "" stay None: nothing to keep)."""
    if not value:
        return None
    return cipher(settings).encrypt(value.encode()).decode()


def unseal(token: str | None, settings: Settings) -> str | None:
    """The clear text, or None when purged; a token no key opens reads as
    None too (a lost key loses the data, never the page)."""
    if not token:
        return None
    try:
        return cipher(settings).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def reseal(token: str | None, settings: Settings) -> str | None:
    """The same value under the first key (rotation)."""
    if not token:
        return None
    return cipher(settings).rotate(token.encode()).decode()
