// Progressive enhancement of the question form: live preview of the tags as
// they will be saved (each marked when it would be a new tag), existing tags
// suggested as you type (synonyms included: "rupture" -> rupture-contrat),
// and one-click popular tags. The form works without it; the server
// normalises the tags the same way (forum.validation.normalise_tag) and shows
// the same preview after a refused submit.
(function () {
  "use strict";

  const MAX_TAG_LENGTH = 40;
  const SUGGEST_DELAY_MS = 200;

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

  // The tag being typed: what follows the last separator.
  function currentFragment(value) {
    const parts = value.split(/[,;]/);
    return parts[parts.length - 1].trim();
  }

  function setUp(input) {
    const field = input.closest(".field");
    const preview = field.querySelector("[data-tag-preview]");
    const list = field.querySelector("[data-tag-preview-list]");
    const suggestions = field.querySelector("[data-tag-suggestions]");
    const matches = field.querySelector("[data-tag-matches]");
    const matchList = matches && matches.querySelector("[data-tag-matches-list]");
    let timer = null;
    let latest = 0;

    function chip(name, isNew) {
      const element = document.createElement("span");
      element.className = "tag tag--plain" + (isNew ? " tag--new" : "");
      element.textContent = name;
      if (isNew) {
        const mark = document.createElement("span");
        mark.className = "tag__new";
        mark.textContent = matches.dataset.labelNew;
        element.append(" ", mark);
      }
      return element;
    }

    function renderPreview(tags) {
      list.replaceChildren();
      tags.forEach(function (tag) {
        list.append(chip(tag.name, tag.isNew), " ");
      });
      preview.hidden = tags.length === 0;
    }

    function renderMatches(results, saved) {
      if (!matches) return;
      matchList.replaceChildren();
      results
        .filter(function (tag) { return saved.indexOf(tag.name) === -1; })
        .forEach(function (tag) {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "tag tag--suggest";
          button.dataset.useTag = tag.name;
          button.textContent = tag.name;
          if (tag.synonym) {
            const note = document.createElement("span");
            note.className = "tag__synonym";
            note.textContent = " " + matches.dataset.labelSynonym.replace("{synonym}", tag.synonym);
            button.append(note);
          }
          matchList.append(button, " ");
        });
      matches.hidden = matchList.children.length === 0;
    }

    function ask() {
      const request = ++latest;
      const url = new URL(matches.dataset.suggestUrl, window.location.href);
      url.searchParams.set("q", currentFragment(input.value).slice(0, 100));
      url.searchParams.set("tags", input.value.slice(0, 300));
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          // An older answer arriving late must not overwrite a newer one.
          if (!data || request !== latest) return;
          const typing = currentFragment(input.value) !== "";
          renderPreview(data.tags.map(function (tag) { return { name: tag.name, isNew: tag.is_new }; }));
          // Hide the tags the other fragments already give; the one being typed
          // (last) may be a synonym whose tag is exactly what to suggest.
          const others = data.tags.slice(0, typing ? -1 : undefined).map(function (tag) { return tag.name; });
          renderMatches(typing ? data.results : [], others);
        })
        .catch(function () { /* offline: the local preview stays */ });
    }

    function render() {
      const tags = parseTags(input.value);
      if (!matches) renderPreview(tags.map(function (name) { return { name: name, isNew: false }; }));
      if (suggestions) {
        suggestions.querySelectorAll("[data-add-tag]").forEach(function (button) {
          button.hidden = tags.indexOf(normaliseTag(button.dataset.addTag)) !== -1;
        });
      }
      if (matches) {
        window.clearTimeout(timer);
        timer = window.setTimeout(ask, SUGGEST_DELAY_MS);
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
    if (matches) {
      matches.addEventListener("click", function (event) {
        const button = event.target.closest("[data-use-tag]");
        if (!button) return;
        // The suggestion replaces the tag being typed, then a new one can start.
        const parts = input.value.split(/[,;]/);
        parts[parts.length - 1] = " " + button.dataset.useTag;
        input.value = parts.join(",").replace(/^\s+/, "") + ", ";
        render();
        input.focus();
      });
    }
    // The server already drew the preview (with new tags marked); only redraw when typing.
    if (!matches || !input.value) render();
  }

  document.querySelectorAll("[data-tag-input]").forEach(setUp);

  // A long checkbox list (the organisations) gets a filter above it: typing
  // "lyon" keeps the choices whose name holds it, accents and case aside.
  // Ticked choices stay shown, so the filter never hides what will be sent.
  const FILTER_FROM = 13;

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUpFilter(wrapper) {
    // The widget's own box (the field's help text also has an id).
    const list = Array.prototype.find.call(wrapper.querySelectorAll("div[id]"), function (element) {
      return element.querySelector(":scope > div input[type=checkbox]") !== null;
    });
    if (!list || list.children.length < FILTER_FROM) return;
    const filter = document.createElement("input");
    filter.type = "search";
    filter.autocomplete = "off";
    filter.placeholder = wrapper.dataset.checkboxFilter;
    filter.setAttribute("aria-label", wrapper.dataset.checkboxFilter);
    filter.setAttribute("aria-controls", list.id);
    const holder = document.createElement("div");
    holder.className = "checkbox-filter";
    holder.appendChild(filter);
    list.parentNode.insertBefore(holder, list);
    const options = Array.prototype.map.call(list.children, function (option) {
      return { element: option, text: fold(option.textContent), input: option.querySelector("input") };
    });
    filter.addEventListener("input", function () {
      const wanted = fold(filter.value.trim());
      options.forEach(function (option) {
        option.element.hidden = Boolean(wanted) && !option.input.checked && option.text.indexOf(wanted) === -1;
      });
    });
  }

  document.querySelectorAll("[data-checkbox-filter]").forEach(setUpFilter);
})();
