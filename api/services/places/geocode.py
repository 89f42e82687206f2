"""Optional geocoding of a place's address, offline-first.

Nothing is sent anywhere unless ``REPERES_GEOCODER_URL`` is set (e.g. a
self-hosted addok, or the Base Adresse Nationale's ``…/search/``): partners
type coordinates or pick them on the map otherwise. The answer format is the
BAN's GeoJSON (``features[0].geometry.coordinates = [lon, lat]``).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from api.i18n import _
from api.settings import Settings

TIMEOUT = 5.0


class GeocodeError(Exception):
    """A plain message to show next to the address."""


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    label: str


def geocode(
    address: str, postal_code: str, commune: str, settings: Settings
) -> Position:
    query = " ".join(part for part in (address, postal_code, commune) if part).strip()
    if not settings.geocoder_url:
        raise GeocodeError(_("La recherche d'adresse n'est pas activée."))
    if len(query) < 3:
        raise GeocodeError(_("Indiquez l'adresse et la commune."))
    try:
        response = httpx.get(
            settings.geocoder_url, params={"q": query, "limit": 1}, timeout=TIMEOUT
        )
        response.raise_for_status()
        features = response.json().get("features") or []
        lon, lat = features[0]["geometry"]["coordinates"][:2]
        label = str(features[0].get("properties", {}).get("label", query))
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as error:
        raise GeocodeError(
            _("Adresse introuvable : tapez les coordonnées ou cliquez sur la carte.")
        ) from error
    return Position(float(lat), float(lon), label)
