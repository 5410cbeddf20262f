// The system share sheet (Web Share API) where the browser offers one, mostly
// phones: the button stays hidden elsewhere, and the plain links beside it
// work without this script.
(function () {
  "use strict";
  if (typeof navigator.share !== "function") return;
  document.querySelectorAll("[data-share-url]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl }).catch(function () {
        // Dismissed by the reader, or refused by the browser: nothing to do.
      });
    });
  });
})();
