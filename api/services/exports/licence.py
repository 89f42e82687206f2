"""Licence and attribution carried by every export."""

from __future__ import annotations

from dataclasses import dataclass

from api.settings import get_settings

PUBLISHER = "Repères"
DATA_INCLUSION_SCHEMA = (
    "data·inclusion schema v1.0.8 – GIP de l'inclusion, Licence Ouverte 2.0"
)
HSDS_ATTRIBUTION = (
    "Human Services Data Specification 3.1: an Open Referral resource "
    "(https://openreferral.org/), CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/)"
)


@dataclass(frozen=True)
class Licence:
    name: str
    url: str

    @property
    def link_header(self) -> str:
        """RFC 8288 ``Link`` value: the licence of the body."""
        return f'<{self.url}>; rel="license"'

    @property
    def attribution(self) -> str:
        return f"{PUBLISHER} – {self.name} ({self.url})"


def current() -> Licence:
    settings = get_settings()
    return Licence(settings.export_licence, settings.export_licence_url)
