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

  // "Listen": the browser's own speech synthesis, in the page language.
  var synth = window.speechSynthesis;
  document.querySelectorAll(".listen").forEach(function (button) {
    if (!synth || typeof SpeechSynthesisUtterance === "undefined") return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (synth.speaking) {
        synth.cancel();
        return;
      }
      var target = document.getElementById(button.getAttribute("aria-controls"));
      var utterance = new SpeechSynthesisUtterance(target.innerText);
      utterance.lang = document.documentElement.lang;
      synth.speak(utterance);
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
