// Fills the Folium map (map_results, feature_group_services, created by
// /<lang>/map.js) with the places of the current search. The server groups
// the places that would overlap at the zoom shown (services.geojson?zoom=),
// so a search over the whole directory draws a few hundred markers, and the
// map asks again, for the part in view, when it is moved or zoomed.
(function () {
  "use strict";
  var element = document.getElementById("map_results");
  if (!element || typeof map_results === "undefined") return;
  var layer = feature_group_services;
  var serviceUrl = element.dataset.serviceUrl;
  var source = element.dataset.geojson;
  var pending = null;
  var asked = 0;

  function popup(properties) {
    // Built with DOM nodes, never HTML strings: listing names are user content.
    var box = document.createElement("div");
    if (properties.place) {
      var place = document.createElement("p");
      place.textContent = properties.place;
      box.appendChild(place);
    }
    var list = document.createElement("ul");
    (properties.services || []).forEach(function (service) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = serviceUrl + service[0];
      link.textContent = service[1];
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    if (properties.services && properties.count > properties.services.length) {
      var more = document.createElement("p");
      more.textContent = "+" + (properties.count - properties.services.length);
      box.appendChild(more);
    }
    return box;
  }

  function clusterIcon(count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var inner = document.createElement("div");
    var label = document.createElement("span");
    label.textContent = String(count);
    inner.appendChild(label);
    return L.divIcon({
      html: inner.outerHTML,
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40)
    });
  }

  function marker(feature) {
    var c = feature.geometry.coordinates;
    var p = feature.properties;
    var at = [c[1], c[0]];
    if (p.cluster) {
      var title = String(p.count);
      var group = L.marker(at, { icon: clusterIcon(p.count), title: title, alt: title, keyboard: true });
      group.on("click", function () {
        map_results.setView(at, Math.min(map_results.getZoom() + 2, 18));
      });
      return group;
    }
    var name = p.name || p.place || String(p.count);
    var single = L.marker(at, { title: name, alt: name, keyboard: true });
    single.bindPopup(function () { return popup(p); });
    return single;
  }

  function show(collection) {
    layer.clearLayers();
    collection.features.forEach(function (feature) { layer.addLayer(marker(feature)); });
  }

  function load(first) {
    var zoom = map_results.getZoom();
    var url = source + (source.indexOf("?") < 0 ? "?" : "&") + "zoom=" + zoom;
    if (!first) {
      var b = map_results.getBounds();
      url += "&bbox=" + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (v) { return Math.max(-180, Math.min(180, v)).toFixed(5); }).join(",");
    }
    var ticket = ++asked;
    if (pending) pending.abort();
    pending = typeof AbortController === "undefined" ? null : new AbortController();
    return fetch(url, { credentials: "omit", signal: pending ? pending.signal : undefined })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        if (ticket !== asked) return null; // an older answer, overtaken
        show(collection);
        return collection;
      })
      .catch(function () { return null; });
  }

  load(true).then(function (collection) {
    if (!collection) return;
    var points = collection.features.map(function (f) {
      return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
    });
    if (points.length) {
      map_results.fitBounds(L.latLngBounds(points), { maxZoom: 16, padding: [20, 20] });
    } else if (geo_json_qpv) {
      map_results.fitBounds(geo_json_qpv.getBounds());
    }
    // From now on each move asks for what is in view, at its zoom.
    map_results.on("moveend", function () { load(false); });
  });
})();
