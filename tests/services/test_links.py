"""Signed links: they round-trip, and refuse other purposes, tampering and age."""

from __future__ import annotations

import time
import uuid

import pytest
from itsdangerous import TimestampSigner

from api.services.accounts.auth import hash_password
from api.services.system import links
from api.settings import Settings

SETTINGS = Settings(secret_key="test-secret", base_url="https://reperes.test/")
USER = uuid.UUID("00000000-0000-4000-8000-000000000001")
ORG = uuid.UUID("00000000-0000-4000-8000-0000000000aa")
SERVICES = [uuid.UUID(f"00000000-0000-4000-8000-00000000000{i}") for i in range(3)]


def made_hours_ago(
    monkeypatch: pytest.MonkeyPatch, hours: float, purpose: links.Purpose, payload: dict
) -> str:
    """A token signed ``hours`` ago, through itsdangerous' own timestamp hook."""
    signed_at = int(time.time() - hours * 3600)
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at)
        return links.make(purpose, payload, SETTINGS)


def test_each_purpose_round_trips() -> None:
    reset = links.reset_payload(USER, hash_password("correct horse"), SETTINGS)
    token = links.make("reset", reset, SETTINGS)
    assert links.read("reset", token, SETTINGS) == reset

    token = links.make("confirm", {"org": ORG, "services": SERVICES}, SETTINGS)
    payload = links.read("confirm", token, SETTINGS)
    assert uuid.UUID(payload["org"]) == ORG
    assert [uuid.UUID(s) for s in payload["services"]] == SERVICES


def test_a_link_made_for_one_purpose_is_refused_for_another() -> None:
    token = links.make("confirm", {"org": ORG, "services": SERVICES}, SETTINGS)
    for other in ("reset",):
        with pytest.raises(links.LinkError) as refused:
            links.read(other, token, SETTINGS)  # type: ignore[arg-type]
        assert not refused.value.expired


@pytest.mark.parametrize(
    "tamper",
    [
        # A character inside the signature: the last one may only hold padding bits.
        lambda t: t[:-5] + ("A" if t[-5] != "A" else "B") + t[-4:],
        lambda t: ("e" if t[0] != "e" else "f") + t[1:],  # payload
        lambda t: t[: len(t) // 2],  # cut by a mail client
        lambda t: "",
        lambda t: "not a token at all",
    ],
)
def test_a_tampered_link_is_refused_as_invalid(tamper) -> None:  # type: ignore[no-untyped-def]
    token = links.make("confirm", {"org": ORG, "services": SERVICES}, SETTINGS)
    with pytest.raises(links.LinkError) as refused:
        links.read("confirm", tamper(token), SETTINGS)
    assert not refused.value.expired
    assert (
        str(refused.value) == "Ce lien est incomplet ou faux. Demandez-en un nouveau."
    )


def test_a_link_signed_with_another_secret_is_refused() -> None:
    other = Settings(secret_key="another-secret")
    token = links.make("confirm", {"org": ORG, "services": []}, other)
    with pytest.raises(links.LinkError):
        links.read("confirm", token, SETTINGS)


def test_an_old_link_is_refused_as_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = links.reset_payload(USER, None, SETTINGS)
    token = made_hours_ago(monkeypatch, 3, "reset", payload)
    with pytest.raises(links.LinkError) as refused:
        links.read("reset", token, SETTINGS)  # reset links live 2 hours
    assert refused.value.expired
    assert "expiré" in refused.value.message
    # The same token within a longer max_age is still genuine.
    assert links.read("reset", token, SETTINGS, max_age=4 * 3600) == payload


def test_each_purpose_has_its_own_lifetime(monkeypatch: pytest.MonkeyPatch) -> None:
    reset = links.reset_payload(USER, None, SETTINGS)
    assert links.read("reset", made_hours_ago(monkeypatch, 1, "reset", reset), SETTINGS)
    confirm = {"org": ORG, "services": SERVICES}
    assert links.read(
        "confirm", made_hours_ago(monkeypatch, 29 * 24, "confirm", confirm), SETTINGS
    )
    with pytest.raises(links.LinkError):
        links.read(
            "confirm",
            made_hours_ago(monkeypatch, 31 * 24, "confirm", confirm),
            SETTINGS,
        )


def test_an_old_tampered_link_is_invalid_not_expired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = made_hours_ago(
        monkeypatch, 3, "reset", links.reset_payload(USER, None, SETTINGS)
    )
    with pytest.raises(links.LinkError) as refused:
        links.read("reset", token[:-2] + "xx", SETTINGS)
    assert not refused.value.expired


def test_a_reset_link_dies_when_the_password_changes() -> None:
    old_hash = hash_password("correct horse battery")
    token = links.make("reset", links.reset_payload(USER, old_hash, SETTINGS), SETTINGS)

    payload = links.read("reset", token, SETTINGS)
    assert uuid.UUID(payload["user"]) == USER
    links.check_reset(payload, old_hash, SETTINGS)  # the password is unchanged

    new_hash = hash_password("correct horse battery")  # same password, new salt
    with pytest.raises(links.LinkError) as refused:
        links.check_reset(links.read("reset", token, SETTINGS), new_hash, SETTINGS)
    assert not refused.value.expired


def test_the_fingerprint_reveals_nothing_without_the_secret() -> None:
    password_hash = hash_password("correct horse battery")
    fingerprint = links.password_fingerprint(password_hash, SETTINGS)
    assert fingerprint not in password_hash
    assert fingerprint != links.password_fingerprint(
        password_hash, Settings(secret_key="another-secret")
    )


def test_payloads_must_have_their_keys() -> None:
    with pytest.raises(ValueError):
        links.make("confirm", {"org": ORG}, SETTINGS)
    with pytest.raises(ValueError):
        links.make("unknown", {}, SETTINGS)  # type: ignore[arg-type]


def test_tokens_are_safe_as_a_path_segment() -> None:
    many = [uuid.uuid4() for _ in range(40)]
    token = links.make("confirm", {"org": ORG, "services": many}, SETTINGS)
    assert not token.startswith(".")  # never compressed: not a "dotfile"
    assert set(token) <= set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
    )


def test_url_joins_the_base_url() -> None:
    assert (
        links.url("/fr/espace/mot-de-passe/", "abc.DEF", SETTINGS)
        == "https://reperes.test/fr/espace/mot-de-passe/abc.DEF"
    )
    plain = Settings(base_url="http://127.0.0.1:8000")
    assert (
        links.url("fr/confirmer", "T", plain) == "http://127.0.0.1:8000/fr/confirmer/T"
    )
