// Easy-to-read (FALC) feedback while typing, in the partner forms.
// Progressive enhancement: without this file, the « Vérifier la lisibilité »
// button shows the same findings (web/templates/espace/_falc_findings.html,
// whose markup this file mirrors). Advice only: saving is never blocked.
(function () {
  "use strict";

  var PAUSE_MS = 600;
  var MAX_CHARS = 5000; // the API refuses longer texts
  var QUOTE_CHARS = 60;

  if (!window.fetch || !window.AbortController || !Element.prototype.replaceChildren) {
    return;
  }

  // Offsets are in code points, as in Python: slice code points, not UTF-16.
  function spanOf(points, finding) {
    return points.slice(finding.start, finding.end).join("");
  }

  function quoted(span) {
    var points = Array.from(span);
    return points.length <= QUOTE_CHARS
      ? span
      : points.slice(0, QUOTE_CHARS - 3).join("") + "…";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // What a person sees of a report: an unchanged one is not re-announced.
  function visible(text, report) {
    var points = Array.from(text);
    return JSON.stringify([
      report.score,
      report.findings.map(function (f) {
        return [f.level, spanOf(points, f), f.message, f.suggestion];
      }),
    ]);
  }

  function render(region, text, report) {
    var points = Array.from(text);
    var score = element("p", "falc-score");
    score.appendChild(
      element("strong", "", region.dataset.score.replace("{score}", report.score))
    );
    if (!report.findings.length) {
      score.appendChild(document.createTextNode(" " + region.dataset.clean));
    }
    var nodes = [score];
    if (report.findings.length) {
      var list = element("ul", "falc-findings");
      report.findings.forEach(function (finding) {
        var item = element("li", "falc-" + finding.level);
        var span = spanOf(points, finding);
        // The span is quoted, unless the message already quotes it (« mot »).
        if (finding.message.indexOf(span) === -1) {
          item.appendChild(element("q", "", quoted(span)));
          item.appendChild(document.createTextNode(" "));
        }
        item.appendChild(document.createTextNode(finding.message));
        if (finding.suggestion) {
          item.appendChild(document.createTextNode(" "));
          item.appendChild(element("span", "falc-suggestion", finding.suggestion));
        }
        list.appendChild(item);
      });
      nodes.push(list);
    }
    region.replaceChildren.apply(region, nodes);
  }

  document.querySelectorAll(".falc-feedback[data-falc-for]").forEach(function (region) {
    var field = document.getElementById(region.dataset.falcFor);
    if (!field) return;
    var timer = null;
    var pending = null; // the request in flight, aborted by newer text
    var shown = null; // visible(...) of what is shown

    function check() {
      var text = field.value;
      if (pending) pending.abort();
      if (!text.trim() || text.length > MAX_CHARS) {
        if (region.firstElementChild) region.replaceChildren();
        shown = null;
        return;
      }
      pending = new AbortController();
      fetch(region.dataset.falcUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ text: text }),
        signal: pending.signal,
        credentials: "omit",
      })
        .then(function (response) {
          // 429 (too many checks) or any error: keep what is shown; the
          // button still checks on the server.
          return response.ok ? response.json() : null;
        })
        .then(function (report) {
          if (!report || field.value !== text) return;
          var key = visible(text, report);
          if (key === shown) return;
          shown = key;
          render(region, text, report);
        })
        .catch(function () {
          /* aborted by newer text, or offline: nothing to show */
        });
    }

    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, PAUSE_MS);
    });
  });
})();
