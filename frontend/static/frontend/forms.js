// Progressive enhancement of the question form: live preview of the tags as
// they will be saved, and one-click popular tags. The form works without it;
// the server normalises the tags the same way (forum.validation.normalise_tag).
(function () {
  "use strict";

  const MAX_TAG_LENGTH = 40;

  // French elisions ("d'", "l'", "qu'") are dropped, as on the server.
  const ELISION = /\b(?:d|l|j|qu|n|s)['\u2019]/gi;

  function normaliseTag(raw) {
    return raw
      .replace(ELISION, " ")
      .normalize("NFKD")
      .replace(/[^\x00-\x7F]/g, "")
      .toLowerCase()
      .replace(/[^\w\s-]/g, "")
      .trim()
      .replace(/[-\s]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "")
      .slice(0, MAX_TAG_LENGTH)
      .replace(/-+$/, "");
  }

  function parseTags(value) {
    const tags = [];
    value.replace(/;/g, ",").split(",").forEach(function (part) {
      const tag = normaliseTag(part);
      if (tag && tags.indexOf(tag) === -1) tags.push(tag);
    });
    return tags;
  }

  function setUp(input) {
    const field = input.closest(".field");
    const preview = field.querySelector("[data-tag-preview]");
    const list = field.querySelector("[data-tag-preview-list]");
    const suggestions = field.querySelector("[data-tag-suggestions]");

    function render() {
      const tags = parseTags(input.value);
      list.replaceChildren();
      tags.forEach(function (tag) {
        const chip = document.createElement("span");
        chip.className = "tag tag--plain";
        chip.textContent = tag;
        list.append(chip, " ");
      });
      preview.hidden = tags.length === 0;
      if (suggestions) {
        suggestions.querySelectorAll("[data-add-tag]").forEach(function (button) {
          button.hidden = tags.indexOf(normaliseTag(button.dataset.addTag)) !== -1;
        });
      }
    }

    input.addEventListener("input", render);
    if (suggestions) {
      suggestions.hidden = false;
      suggestions.addEventListener("click", function (event) {
        const button = event.target.closest("[data-add-tag]");
        if (!button) return;
        const current = input.value.replace(/[\s,;]+$/, "");
        input.value = (current ? current + ", " : "") + button.dataset.addTag;
        render();
        input.focus();
      });
    }
    render();
  }

  document.querySelectorAll("[data-tag-input]").forEach(setUp);
})();
