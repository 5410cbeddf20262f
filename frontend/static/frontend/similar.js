// Progressive enhancement of the ask form: as the title is typed, the
// questions that look like it are listed under the field, so a student finds
// the answer before asking again. The list is HTML from the server
// (frontend/search/_similar.html, the same partial the form shows after a
// refused submit); without JavaScript the form simply does not show it live.
(function () {
  "use strict";

  const DELAY_MS = 300;
  const MIN_LENGTH = 4;

  function setUp(section) {
    const form = section.closest("form");
    const input = form && form.querySelector("input[name=title]");
    if (!input) return;
    const url = section.getAttribute("data-similar-url");
    let timer = null;
    let latest = 0;
    let lastTitle = input.value.trim();

    function refresh() {
      const title = input.value.trim();
      if (title === lastTitle) return;
      lastTitle = title;
      const request = ++latest;
      if (title.length < MIN_LENGTH) {
        section.replaceChildren();
        return;
      }
      fetch(url + "?title=" + encodeURIComponent(title.slice(0, 150)), {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          // Only the answer to the latest keystroke counts.
          if (html === null || request !== latest) return;
          const parsed = new DOMParser().parseFromString(html, "text/html");
          section.replaceChildren.apply(section, Array.from(parsed.body.childNodes));
        })
        .catch(function () {
          // Offline or server error: the form still works, without the list.
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY_MS);
    });
  }

  function start() {
    document.querySelectorAll("[data-similar-questions]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
