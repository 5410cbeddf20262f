// @mention autocomplete in the question and answer editors (issue 12): typing
// "@" and a letter or more lists matching members under the caret: the
// textarea (a textbox: role=combobox and aria-expanded are not allowed on it)
// controls a listbox through aria-controls and aria-activedescendant. Arrows move, Enter or Tab
// inserts "@username ", Escape closes; a tap on an option does the same.
// Progressive enhancement: without it, "@username" typed by hand notifies
// the member all the same (forum/notifications/fanout.py reads the body).
(function () {
  "use strict";

  const SUGGEST_DELAY_MS = 150;
  const MAX_QUERY_LENGTH = 150;
  // The name being typed up to the caret, read as the server reads mentions
  // (fanout.MENTION_RE: an "@" not glued to a word or another "@").
  const TYPING = /(?<![\p{L}\p{N}_@])@([\p{L}\p{N}_.+-]{1,150})$/u;
  // What the mirror must share with the textarea for its lines to wrap alike.
  const MIRRORED = [
    "boxSizing", "width", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
    "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth",
    "fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing", "lineHeight",
    "textTransform", "wordSpacing", "textIndent", "tabSize",
  ];

  // Where the caret is drawn, relative to the textarea's box: a hidden copy
  // of the text up to the caret ends with a marker whose position we read.
  function caretOffset(textarea, position) {
    const style = window.getComputedStyle(textarea);
    const mirror = document.createElement("div");
    MIRRORED.forEach(function (name) { mirror.style[name] = style[name]; });
    mirror.style.position = "absolute";
    mirror.style.visibility = "hidden";
    mirror.style.top = "0";
    mirror.style.left = "-9999px";
    mirror.style.whiteSpace = "pre-wrap";
    mirror.style.overflowWrap = "break-word";
    mirror.textContent = textarea.value.slice(0, position);
    const marker = document.createElement("span");
    marker.textContent = "\u200b";
    mirror.append(marker);
    document.body.append(mirror);
    const offset = {
      top: marker.offsetTop + marker.offsetHeight - textarea.scrollTop,
      left: marker.offsetLeft - textarea.scrollLeft,
    };
    mirror.remove();
    return offset;
  }

  let counter = 0;

  function setUp(textarea) {
    const field = textarea.parentElement;
    const list = document.createElement("ul");
    list.id = (textarea.id || "editor-" + ++counter) + "-mentions";
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.dataset.mentionLabel || "");
    list.hidden = true;
    textarea.after(list);
    field.classList.add("field--mentions");
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);

    let members = [];
    let active = -1;
    let timer = null;
    let latest = 0;

    function typed() {
      if (textarea.selectionStart !== textarea.selectionEnd) return null;
      const match = TYPING.exec(textarea.value.slice(0, textarea.selectionStart));
      return match ? match[1] : null;
    }

    function close() {
      latest++; // an answer still on its way must not reopen the list
      window.clearTimeout(timer);
      members = [];
      active = -1;
      list.hidden = true;
      list.replaceChildren();
        textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        const option = list.children[index];
        textarea.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function place() {
      // Anchored on the "@" of the name being typed, so it does not drift as letters are added.
      const query = typed() || "";
      const caret = caretOffset(textarea, textarea.selectionStart - query.length - 1);
      // Under the caret's line, kept inside the textarea's box and width.
      const top = Math.min(Math.max(caret.top, 0), textarea.clientHeight);
      const room = textarea.offsetWidth - list.offsetWidth;
      list.style.top = textarea.offsetTop + top + 4 + "px";
      list.style.left = textarea.offsetLeft + Math.max(0, Math.min(caret.left, room)) + "px";
    }

    function open(results) {
      members = results;
      list.replaceChildren();
      results.forEach(function (member, i) {
        const option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.className = "mention-list__option";
        option.setAttribute("role", "option");
        option.dataset.username = member.username;
        const name = document.createElement("span");
        name.className = "mention-list__name";
        name.textContent = member.display_name;
        const handle = document.createElement("span");
        handle.className = "mention-list__username";
        handle.textContent = "@" + member.username;
        option.append(name, " ", handle);
        list.append(option);
      });
      list.hidden = false;
      place();
      highlight(0);
    }

    function ask(query) {
      const request = ++latest;
      const url = new URL(textarea.dataset.mentionUrl, window.location.href);
      url.searchParams.set("q", query.slice(0, MAX_QUERY_LENGTH));
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          // An older answer arriving late must not overwrite a newer one.
          if (request !== latest) return;
          if (data && data.results.length && typed() !== null) open(data.results);
          else close();
        })
        .catch(close);
    }

    function update() {
      const query = typed();
      if (query === null) {
        close();
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { ask(query); }, SUGGEST_DELAY_MS);
    }

    function choose(index) {
      const member = members[index];
      const query = typed();
      if (!member || query === null) {
        close();
        return;
      }
      const caret = textarea.selectionStart;
      const before = textarea.value.slice(0, caret - query.length - 1);
      const after = textarea.value.slice(caret);
      const inserted = "@" + member.username + (/^\s/.test(after) ? "" : " ");
      textarea.value = before + inserted + after;
      const position = before.length + inserted.length;
      textarea.setSelectionRange(position, position);
      close();
      textarea.focus();
      // Other scripts listening to the body (drafts, previews) see the change.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    textarea.addEventListener("input", update);
    textarea.addEventListener("click", update);
    textarea.addEventListener("blur", close);
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden || event.isComposing) return;
      const count = members.length;
      if (event.key === "ArrowDown") {
        highlight((active + 1) % count);
      } else if (event.key === "ArrowUp") {
        highlight((active - 1 + count) % count);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0 && !event.shiftKey) {
        choose(active);
      } else if (event.key === "Escape") {
        close();
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    });
    // Keep the focus (and the caret) in the textarea while an option is
    // pressed, by mouse, pen or finger; the click that follows chooses.
    list.addEventListener("pointerdown", function (event) { event.preventDefault(); });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      const option = event.target.closest("[role=option]");
      if (option) choose(Array.prototype.indexOf.call(list.children, option));
    });
  }

  document.querySelectorAll("textarea[data-mention-url]").forEach(setUp);
})();
