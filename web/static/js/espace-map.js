// Place form: pick the position on a small map (progressive enhancement: the
// latitude and longitude fields work without it).
(function () {
  var box = document.getElementById("map-picker");
  var lat = document.getElementById("f-lat");
  var lon = document.getElementById("f-lon");
  if (!box || !lat || !lon || typeof L === "undefined") return;
  box.hidden = false;
  box.setAttribute("role", "application");
  box.setAttribute("aria-label", box.dataset.label || "");
  var start = [parseFloat(lat.value) || 47.3941, parseFloat(lon.value) || 0.6848];
  var map = L.map(box).setView(start, lat.value ? 16 : 12);
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
  }
  var marker = lat.value ? L.marker(start).addTo(map) : null;
  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(6);
    lon.value = event.latlng.lng.toFixed(6);
    if (marker) marker.setLatLng(event.latlng);
    else marker = L.marker(event.latlng).addTo(map);
  });
})();
