"""Leaflet's own control labels ("Zoom in", "Layers", "Close popup") in the
page's language: Leaflet ships them in English only."""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from api.i18n import _


class LocalizedControls(MacroElement):
    """The zoom buttons with translated titles (the map is made with
    ``zoom_control=False``), and translated labels on the layers toggle and on
    every popup's close button. Add it after the LayerControl."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, labels) {
            L.control.zoom({
                zoomInTitle: labels.zoomIn,
                zoomOutTitle: labels.zoomOut
            }).addTo(map);
            map.getContainer()
                .querySelectorAll(".leaflet-control-layers-toggle")
                .forEach(function (link) {
                    link.title = labels.layers;
                    link.setAttribute("aria-label", labels.layers);
                });
            map.on("popupopen", function (event) {
                var close = event.popup.getElement()
                    .querySelector(".leaflet-popup-close-button");
                if (close) close.setAttribute("aria-label", labels.closePopup);
            });
        })({{ this._parent.get_name() }}, {{ this.labels | tojson }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LocalizedControls"
        # Read when the script is made, under the request's language.
        self.labels = {
            "zoomIn": _("Agrandir la carte"),
            "zoomOut": _("Réduire la carte"),
            "layers": _("Couches de la carte"),
            "closePopup": _("Fermer"),
        }
