"""The coverage choropleth: QPV contours coloured by how many services of one
category residents can reach, built with Folium and served as a plain script
(self-hosted Leaflet, no inline code: see web/map.py). The matrix beside it on
the page is the accessible alternative, with the same numbers.
"""

from __future__ import annotations

from typing import Any

import folium

from api.i18n import _
from api.models import Qpv
from web.map_controls import LocalizedControls

MAP_ID = "coverage"  # the page's <div id="map_coverage">
# (lowest count, fill colour, dash pattern): a gap also has a dashed outline,
# so it does not stand out by colour alone.
STEPS = (
    (0, "#b3261e", "6 4"),
    (1, "#f3c66b", ""),
    (2, "#8fc79a", ""),
    (4, "#2f7d4a", ""),
)


def step(count: int) -> tuple[str, str]:
    colour, dash = next((c, d) for low, c, d in reversed(STEPS) if count >= low)
    return colour, dash


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    colour, dash = step(int(feature["properties"]["count"]))
    return {
        "color": "#1d1d1d",
        "weight": 2,
        "fillColor": colour,
        "fillOpacity": 0.6,
        "dashArray": dash,
    }


def features(qpvs: list[Qpv], counts: dict[str, int]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": q.geometry,
                "properties": {
                    "code": q.code,
                    "name": q.name,
                    "count": counts.get(q.code, 0),
                },
            }
            for q in qpvs
        ],
    }


def _bounds(qpvs: list[Qpv]) -> list[list[float]]:
    return [
        [min(q.min_lat for q in qpvs), min(q.min_lon for q in qpvs)],
        [max(q.max_lat for q in qpvs), max(q.max_lon for q in qpvs)],
    ]


def coverage_script(qpvs: list[Qpv], counts: dict[str, int], tile_url: str) -> str:
    """Folium's script for the choropleth of these QPVs; ``tile_url`` empty
    means contours only."""
    folium_map = folium.Map(
        location=(47.3, -0.4),
        zoom_start=8,
        tiles=None,
        control_scale=True,
        zoom_control=False,
        **{"maxZoom": 19, "minZoom": 5},
    )
    folium_map._id = MAP_ID
    if tile_url:
        folium.TileLayer(
            tiles=tile_url, attr="© OpenStreetMap contributors", max_zoom=19
        ).add_to(folium_map)
    if qpvs:
        layer = folium.GeoJson(
            features(qpvs, counts),
            name=_("Quartiers prioritaires (QPV)"),
            style_function=_style,
            tooltip=folium.GeoJsonTooltip(
                fields=["name", "count"],
                aliases=[_("Quartier"), _("Services")],
            ),
        )
        layer._id = "coverage_qpv"
        layer.add_to(folium_map)
        folium_map.fit_bounds(_bounds(qpvs))
    LocalizedControls().add_to(folium_map)
    root = folium_map.get_root()
    root.render()
    return str(root.script.render())
