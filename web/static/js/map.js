// Fills the Folium map (map_results, marker_cluster_services, created by
// /<lang>/map.js) with the points of the current search.
(function () {
  "use strict";
  var element = document.getElementById("map_results");
  if (!element || typeof map_results === "undefined") return;
  var cluster = marker_cluster_services;
  var serviceUrl = element.dataset.serviceUrl;

  function popup(properties) {
    // Built with DOM nodes, never HTML strings: listing names are user content.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = serviceUrl + properties.id;
    link.textContent = properties.name;
    var place = document.createElement("p");
    place.textContent = properties.place;
    box.appendChild(link);
    box.appendChild(place);
    return box;
  }

  fetch(element.dataset.geojson, { credentials: "omit" })
    .then(function (response) { return response.json(); })
    .then(function (collection) {
      var markers = collection.features.map(function (feature) {
        var c = feature.geometry.coordinates;
        var marker = L.marker([c[1], c[0]], {
          title: feature.properties.name,
          alt: feature.properties.name,
          keyboard: true
        });
        marker.bindPopup(function () { return popup(feature.properties); });
        return marker;
      });
      // chunkedLoading adds markers over several frames: bounds come from the
      // markers themselves, not from the cluster group still filling up.
      cluster.addLayers(markers);
      if (markers.length) {
        var bounds = L.latLngBounds(markers.map(function (m) { return m.getLatLng(); }));
        map_results.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
      } else if (geo_json_qpv) {
        map_results.fitBounds(geo_json_qpv.getBounds());
      }
    });
})();
