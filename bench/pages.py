"""Bytes on the wire for the page-weight budgets: the results page, the map
page's assets before markers, and the markers' GeoJSON (gzip, as browsers ask)."""

from __future__ import annotations

from typing import Any

import httpx

ASSETS = [
    "/static/css/site.css",
    "/static/vendor/leaflet/leaflet.css",
    "/static/vendor/markercluster/MarkerCluster.css",
    "/static/vendor/markercluster/MarkerCluster.Default.css",
    "/static/vendor/leaflet/leaflet.js",
    "/static/vendor/markercluster/leaflet.markercluster.js",
    "/fr/map.js",
    "/static/js/map.js",
    "/static/js/enhance.js",
]
RESULTS_PAGE = "/fr/services?q=aide&size=20"
MARKERS = "/api/v1/services.geojson?q=aide&zoom=8"
# The whole directory, as the results map first asks for it (zoom 8), and
# every place alone (what an API client gets without a zoom).
BROAD_MAP = "/api/v1/services.geojson?zoom=8"
EVERY_PLACE = "/api/v1/services.geojson"


def page_weights(base: str, timeout: float) -> dict[str, Any]:
    gzip = {"accept-encoding": "gzip"}
    weights: dict[str, Any] = {}
    with httpx.Client(base_url=base, headers=gzip, timeout=timeout) as client:

        def size(path: str) -> int:
            response = client.get(path)
            response.read()
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            return int(response.num_bytes_downloaded)

        try:
            html = size(RESULTS_PAGE)
            raw = client.get(RESULTS_PAGE, headers={"accept-encoding": "identity"})
            weights["results_html_bytes_uncompressed"] = len(raw.content)
            weights["results_html_bytes_gzip"] = html
            weights["map_page_bytes_gzip_before_markers"] = html + sum(
                size(asset) for asset in ASSETS
            )
            weights["markers_geojson_bytes_gzip"] = size(MARKERS)
            weights["broad_map_geojson_bytes_gzip"] = size(BROAD_MAP)
            weights["every_place_geojson_bytes_gzip"] = size(EVERY_PLACE)
        except (httpx.HTTPError, RuntimeError) as error:
            weights["error"] = str(error)
    return weights
