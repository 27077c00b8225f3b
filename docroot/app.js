// Gateway demo site: a small progressive touch. The pages work without it.
(function () {
  "use strict";

  // Show how long this page took to arrive (Navigation Timing Level 2).
  function showTiming() {
    var el = document.getElementById("timing");
    if (!el || !window.performance || !performance.getEntriesByType) return;
    var nav = performance.getEntriesByType("navigation")[0];
    if (!nav || !nav.responseEnd) return;
    var ms = nav.responseEnd - nav.requestStart;
    el.textContent = "This page arrived in " + ms.toFixed(1) + " ms" +
      (nav.transferSize ? " (" + nav.transferSize + " bytes over the wire)" : "") + ".";
    el.hidden = false;
  }

  // "Try" buttons on apps.html: fetch the example and show status, headers and body,
  // streaming the body as it arrives so /stream shows its chunks one by one.
  function tryExample(url, out) {
    out.textContent = "GET " + url + " …";
    var started = performance.now();
    fetch(url, { cache: "no-store" }).then(function (response) {
      var head = "HTTP " + response.status + " " + response.statusText + "\n";
      response.headers.forEach(function (value, name) { head += name + ": " + value + "\n"; });
      out.textContent = head + "\n";
      if (response.status === 404) {
        out.textContent += "(not installed yet: its plugin is not in the apps folder)\n";
      }
      if (!response.body || !response.body.getReader) {
        return response.text().then(function (text) { out.textContent += text; });
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) return;
          out.textContent += decoder.decode(step.value, { stream: true });
          return pump();
        });
      }
      return pump();
    }).then(function () {
      out.textContent += "\n\n— " + (performance.now() - started).toFixed(1) + " ms";
    }).catch(function (error) {
      out.textContent = "GET " + url + " failed: " + error;
    });
  }

  function wireButtons() {
    var out = document.getElementById("output");
    if (!out || !window.fetch) return;
    var buttons = document.querySelectorAll("button.try");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        tryExample(event.currentTarget.getAttribute("data-url"), out);
      });
    }
  }

  function start() {
    wireButtons();
    // Timing entries are complete only after load.
    if (document.readyState === "complete") showTiming();
    else window.addEventListener("load", showTiming);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
