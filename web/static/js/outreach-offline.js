// "Aller vers" forms on a weak network (progressive enhancement: every form
// works without this file, as a plain POST).
// - A form sent while the device is offline is kept on the device
//   (localStorage) and sent when the network is back; a visible count says
//   how many are waiting.
// - Replays carry the form token of the page that sends them, so an entry
//   kept before signing in again is still accepted; each entry has its own
//   client_ref, so one that reached the server twice is recorded once; on a
//   shared phone, each entry is sent only by the person who typed it.
// - "Use my position" picks the QPV from the device's position (asked once,
//   only sent to our own server to find the QPV, never stored).
(function () {
  "use strict";
  var KEY = "reperes-outreach-queue";
  var box = document.getElementById("offline-queue");
  if (!box) return;
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }

  function load() {
    if (!storage) return [];
    try { return JSON.parse(storage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }

  function store(queue) {
    if (storage) storage.setItem(KEY, JSON.stringify(queue));
  }

  // A shared phone: each entry is sent only by the person who typed it.
  var USER = box.getAttribute("data-user") || "";

  function mine() {
    return load().filter(function (entry) { return entry.user === USER; });
  }

  function drop(id) {
    store(load().filter(function (entry) { return entry.id !== id; }));
  }

  function show(message) {
    var queue = mine();
    box.hidden = queue.length === 0 && !message;
    box.querySelector(".offline-count").textContent =
      queue.length ? box.getAttribute("data-count").replace("__N__", String(queue.length)) : "";
    box.querySelector(".offline-message").textContent = message || "";
    box.querySelector(".offline-send").hidden = queue.length === 0 || !navigator.onLine;
  }

  function newRef() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var out = "";
    for (var i = 0; i < 32; i++) out += Math.floor(Math.random() * 16).toString(16);
    return out;
  }

  function token() {
    var field = document.querySelector("input[name=csrf]");
    return field ? field.value : "";
  }

  function keep(form) {
    var queue = load();
    queue.push({
      id: newRef(),
      user: USER,
      url: form.getAttribute("action"),
      body: new URLSearchParams(new FormData(form)).toString()
    });
    store(queue);
    form.reset();
    var ref = form.querySelector("input[name=client_ref]");
    if (ref) ref.value = newRef();  // the next entry is another one
    show(box.getAttribute("data-stored"));
  }

  var sending = false;

  function settle(response) {
    // The server answers a recorded entry by a redirect to an outreach page.
    var landed = response.url || "";
    if (response.ok && landed.indexOf("/espace/connexion") === -1) return "sent";
    if (response.ok || response.status === 403) return "signin";
    if (response.status === 400) return "refused";
    return "later";
  }

  function send() {
    var queue = mine();
    if (sending || !queue.length || !navigator.onLine) { show(); return; }
    sending = true;
    var entry = queue[0];
    var body = new URLSearchParams(entry.body);
    if (token()) body.set("csrf", token());
    fetch(entry.url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        sending = false;
        var outcome = settle(response);
        if (outcome === "sent" || outcome === "refused") {
          drop(entry.id);
          if (outcome === "refused") { show(box.getAttribute("data-refused")); return; }
          if (mine().length) { send(); return; }
          show(box.getAttribute("data-sent"));
        } else {
          show(box.getAttribute(outcome === "signin" ? "data-signin" : "data-stored"));
        }
      })
      .catch(function () { sending = false; show(); });
  }

  // Online, the form is sent by fetch first: when the network fails on the
  // way (a stairwell, a market square), the entry is kept instead of lost.
  // Any answer from the server is then shown as without JavaScript.
  function post(form) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 20000) : null;
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      if (settle(response) === "sent") { window.location.assign(response.url); return; }
      form.submit();  // errors, sign-in: the server's own page
    }).catch(function () {
      clearTimeout(timer);
      keep(form);  // the same client_ref: recorded once if it did arrive
    });
  }

  document.querySelectorAll("form[data-offline=queue]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch) return;  // the ordinary POST
      event.preventDefault();
      if (!form.checkValidity()) { form.reportValidity(); return; }
      if (navigator.onLine) { post(form); } else { keep(form); }
    });
  });

  box.querySelector(".offline-send").addEventListener("click", send);
  window.addEventListener("online", send);
  window.addEventListener("offline", function () { show(); });
  show();
  send();

  // "Use my position": choose the QPV containing (or nearest to) the device.
  document.querySelectorAll(".locate-qpv").forEach(function (button) {
    if (!("geolocation" in navigator)) return;
    var field = button.closest(".qpv-field");
    var select = field.querySelector("select");
    var status = field.querySelector(".locate-status");
    button.hidden = false;
    function failed() {
      button.disabled = false;
      status.textContent = button.getAttribute("data-failed");
    }
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        var url = button.getAttribute("data-url") +
          "?lat=" + position.coords.latitude.toFixed(5) +
          "&lon=" + position.coords.longitude.toFixed(5);
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (found) {
            button.disabled = false;
            if (!found.code) { failed(); return; }
            select.value = found.code;
            var text = button.getAttribute(found.inside ? "data-found" : "data-near");
            status.textContent = text.replace("__NAME__", found.name);
          })
          .catch(failed);
      }, failed, { timeout: 10000, maximumAge: 60000 });
    });
  });

  // The outreach pages can open again without a network once seen.
  var worker = box.getAttribute("data-worker");
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker, { scope: worker.replace(/sw\.js$/, "") })
      .catch(function () { /* no offline page: the queue still works */ });
  }
})();
