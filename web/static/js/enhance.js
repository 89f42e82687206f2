// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // "Near me": fill the hidden lat/lon fields from the browser, then search.
  document.querySelectorAll(".near-me").forEach(function (button) {
    if (!("geolocation" in navigator)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var form = button.closest("form");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.querySelector(".geo-lat").value = position.coords.latitude.toFixed(5);
          form.querySelector(".geo-lon").value = position.coords.longitude.toFixed(5);
          var sort = form.querySelector("select[name=sort]");
          if (sort) sort.value = "distance";
          form.submit();
        },
        function () {
          button.disabled = false;
          var note = form.querySelector(".geo-error");
          if (note) note.hidden = false;
        },
        { timeout: 10000, maximumAge: 600000 }
      );
    });
  });

  // "Listen": the browser's own speech synthesis (nothing leaves the device).
  // Each part is read in its own language: a listing text shown in French on
  // an Arabic page carries lang="fr" and gets a French voice, the rest the
  // page's voice.
  var synth = window.speechSynthesis;
  var SKIP = "button, script, style, svg, [hidden], [aria-hidden=true], .visually-hidden, .no-listen";
  var BLOCK = "p, li, h1, h2, h3, h4, h5, h6, dt, dd, figcaption, summary, td, th, div, section, header, footer, article";

  function parts(root) {
    var found = [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node, lastBlock = null;
    while ((node = walker.nextNode())) {
      var parent = node.parentElement;
      if (!parent || parent.closest(SKIP)) continue;
      if (!parent.getClientRects().length) continue; // not displayed
      var text = node.nodeValue.replace(/\s+/g, " ").trim();
      if (!text) continue;
      var lang = parent.closest("[lang]").getAttribute("lang");
      var block = parent.closest(BLOCK);
      var last = found[found.length - 1];
      // A pause between blocks: headings and list items have no full stop.
      if (last && block !== lastBlock && !/[.!?:;,،؛؟።]$/.test(last.text)) last.text += ".";
      if (last && last.lang === lang) last.text += " " + text;
      else found.push({ lang: lang, text: text });
      lastBlock = block;
    }
    return found;
  }

  function voiceFor(lang) {
    var primary = lang.toLowerCase().split("-")[0];
    var voices = synth.getVoices();
    return voices.filter(function (v) { return v.lang.toLowerCase() === lang.toLowerCase(); })[0] ||
      voices.filter(function (v) { return v.lang.toLowerCase().split(/[-_]/)[0] === primary; })[0] || null;
  }

  document.querySelectorAll(".listen").forEach(function (button) {
    if (!synth || typeof SpeechSynthesisUtterance === "undefined") return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (synth.speaking || synth.pending) {
        synth.cancel();
        return;
      }
      var target = document.getElementById(button.getAttribute("aria-controls"));
      parts(target).forEach(function (part) {
        var utterance = new SpeechSynthesisUtterance(part.text);
        utterance.lang = part.lang;
        var voice = voiceFor(part.lang);
        if (voice) utterance.voice = voice;
        synth.speak(utterance);
      });
    });
  });

  // "Copy link": the clipboard when allowed; the plain link stays usable.
  document.querySelectorAll(".copy-link").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.url).then(function () {
        var status = document.getElementById(button.getAttribute("aria-describedby"));
        if (status) status.textContent = button.dataset.done;
      });
    });
  });

  // "Print": a button for what Ctrl+P already does.
  document.querySelectorAll(".print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll(".no-js-note").forEach(function (note) {
    note.hidden = true;
  });
})();
