"""Configuration: one settings class, read from ``REPERES_*`` environment variables."""

from __future__ import annotations

import ipaddress
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REPERES_", env_file=".env", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    # DATABASE_URL is accepted too: it is what hosting platforms and the test
    # suite set.
    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'var' / 'reperes.db'}",
        validation_alias=AliasChoices("REPERES_DATABASE_URL", "DATABASE_URL"),
    )
    secret_key: str = DEV_SECRET
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    cors_origins: list[str] = ["*"]
    stale_after_days: int = 183
    # Search results (a page of ids and the count) are kept this long, or
    # until the next write anywhere; 0 turns the cache off (the bench does).
    search_cache_seconds: float = Field(default=30.0, ge=0)
    # Anonymous search counts wait in each process this long before being
    # written together (and are written when the server stops); 0 writes
    # each search at once (the test suite does).
    search_stats_flush_seconds: float = Field(default=10.0, ge=0)
    # Each server process freezes its start-up heap out of the cyclic garbage
    # collector (services/system/collector.py); off in the test suite, whose
    # process builds hundreds of apps.
    gc_freeze: bool = True
    # Where links in e-mails point to (reset, invitation, "still valid").
    base_url: str = "http://127.0.0.1:8000"
    # Mail: without an SMTP host, mails are written to outbox_dir as .eml files.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "Repères <no-reply@reperes.localhost>"
    outbox_dir: Path = ROOT / "var" / "outbox"
    # Rate limits are counted in memory (one process) unless Redis is set.
    redis_url: str = ""
    # Off only for test and load runs (the API fuzzing sends hundreds of
    # requests a minute from one address): never in production.
    rate_limits: bool = True
    # Request bodies larger than this are refused (413) before being read;
    # the partner bulk upload may be larger.
    max_body_kib: int = Field(default=256, ge=1)
    max_bulk_body_mib: int = Field(default=32, ge=1)
    # Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR
    # networks). Empty: the header is ignored and the peer's address is used.
    trusted_proxies: list[str] = []
    # Partner-space sessions end this long after signing in, whatever the
    # activity, and earlier after this long without a request.
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    session_idle_minutes: int = Field(default=120, ge=5, le=24 * 60 * 30)
    # Optional online geocoder (BAN-compatible /search/?q=); offline by default.
    geocoder_url: str = ""
    reminder_months: int = 6
    # Machine translation of listings: a self-hosted LibreTranslate-compatible
    # server. Empty: no machine translation, no request to anyone.
    translate_url: str = ""
    translate_api_key: str = ""
    # Licence of the directory's data, named in every export (data·inclusion
    # files, HSDS API): Licence Ouverte 2.0 unless the operator chose another.
    export_licence: str = "Licence Ouverte / Open Licence 2.0 (Etalab)"
    export_licence_url: str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    # Operating it. Prometheus metrics at /metrics: off unless asked for.
    metrics_enabled: bool = False
    # One line per event: "json" for log collectors, "console" for a terminal.
    log_format: Literal["json", "console"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Query strings carry what residents search for: kept out of logs unless
    # an operator debugging a problem turns this on.
    log_query_string: bool = False
    # Directory of pg_dump/pg_restore for `reperes backup`/`restore`; empty:
    # the ones matching the server's major version, else those on the PATH.
    pg_bin_dir: str = ""
    # Referrals between partners: the person's data is encrypted with this
    # Fernet key (`reperes referral-key` makes one). Several keys, separated
    # by commas, rotate: the first encrypts, any decrypts. Empty: derived from
    # secret_key outside production; referrals refuse to work in production.
    referral_key: str = ""
    # Days after which a referral's personal data is erased (counts stay).
    referral_retention_days: int = Field(default=90, ge=1, le=3650)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry.strip(), strict=False)  # ValueError if not
        return value

    @field_validator("referral_key")
    @classmethod
    def _referral_keys_are_fernet_keys(cls, value: str) -> str:
        from cryptography.fernet import Fernet

        for key in filter(None, (k.strip() for k in value.split(","))):
            try:
                Fernet(key)
            except ValueError:
                raise ValueError(
                    "REPERES_REFERRAL_KEY: each key must be a Fernet key "
                    "(32 url-safe base64-encoded bytes; `reperes referral-key`)"
                ) from None
        return value

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("REPERES_SECRET_KEY must be set in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@cache
def get_settings() -> Settings:
    return Settings()
