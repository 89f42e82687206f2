"""Configuration: one settings class, read from ``REPERES_*`` environment variables."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
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
