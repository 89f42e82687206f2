"""The results map, built with Folium, served as a plain script file.

Folium's own page would pull Leaflet, jQuery and Bootstrap from CDNs and
inline its styles and script, which the Content-Security-Policy forbids. So
only Folium's generated script is used: the page loads Leaflet and
MarkerCluster from ``/static/vendor/`` and this script as an external file;
``/static/js/map.js`` then fetches the markers of the current search, grouped
by the server for the zoom shown, and again when the view moves.
"""

from __future__ import annotations

from typing import Any

import folium

from api.i18n import _
from web.map_controls import LocalizedControls

# Between Tours and Nantes; the page script fits the view to the markers.
DEFAULT_CENTER = (47.3, -0.4)
MAP_ID = "results"  # so the page and the script agree on "map_results"
QPV_STYLE = {"color": "#8a1c14", "weight": 2, "fillOpacity": 0.06, "dashArray": "4"}


def _style(_feature: dict[str, Any]) -> dict[str, Any]:
    return QPV_STYLE


def map_script(qpv_contours: dict[str, Any], tile_url: str) -> str:
    """Folium's script for the map; ``tile_url`` empty means contours only."""
    folium_map = folium.Map(
        location=DEFAULT_CENTER,
        zoom_start=8,
        tiles=None,
        control_scale=True,
        zoom_control=False,  # LocalizedControls adds it, with translated titles
        # Leaflet options: a zoom range even without tiles (MarkerCluster needs it).
        **{"maxZoom": 19, "minZoom": 5},
    )
    folium_map._id = MAP_ID
    if tile_url:
        folium.TileLayer(
            tiles=tile_url,
            attr="© OpenStreetMap contributors",
            name=_("Plan"),
            max_zoom=19,
        ).add_to(folium_map)
    contours = folium.GeoJson(
        qpv_contours,
        name=_("Quartiers prioritaires (QPV)"),
        style_function=_style,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    )
    contours._id = "qpv"
    contours.add_to(folium_map)
    # The server groups the places per zoom (services.geojson?zoom=): the page
    # draws a few hundred markers at most, whatever the size of the directory.
    services = folium.FeatureGroup(name=_("Services"))
    services._id = "services"
    services.add_to(folium_map)
    folium.LayerControl(collapsed=False).add_to(folium_map)
    LocalizedControls().add_to(folium_map)
    root = folium_map.get_root()
    root.render()
    return str(root.script.render())


def qpv_feature_collection(qpvs: list[Any]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": q.geometry,
                "properties": {"code": q.code, "name": q.name},
            }
            for q in qpvs
        ],
    }
