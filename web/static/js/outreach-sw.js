// Service worker of the "aller vers" pages (served as /{lang}/aller-vers/sw.js,
// so its scope is /{lang}/aller-vers/): the two forms and the files they use
// are kept, so that they open again without a network. Pages: network first,
// the kept copy when offline. Nothing else is cached; POSTs are never touched
// (outreach-offline.js keeps those on the device).
"use strict";
var CACHE = "reperes-outreach-v1";
var FORMS = /\/aller-vers\/(nouveau|droits)$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var kept = FORMS.test(url.pathname) || url.pathname.indexOf("/static/") === 0;
  if (!kept) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (hit) {
        return hit || Response.error();
      });
    })
  );
});
