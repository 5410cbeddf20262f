// The review queue: keyboard shortcuts and live updates (no build step).
//
// Live: live-transport.js subscribes the page to the `moderation` topic
// (data-live-topics) and calls the LIVE table below. A new or updated item is
// fetched as HTML from the server (the same template as the page), a decided
// one leaves the list; after a resync the whole list is fetched again from the
// page itself. Shortcuts: j / k next and previous item, a
// approve (or restore), h hide, e edit and approve, x select for bulk.
(function () {
  "use strict";

  const list = document.querySelector("[data-review-list]");
  const texts = document.querySelector("[data-moderation-texts]");
  const announcer = document.getElementById("live-announcer");
  if (!list || !texts) return;
  const onOpenQueue = !new URLSearchParams(location.search).has("status");

  document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-review-item]"));
  }

  function announce(message) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = message;
    }, 50);
  }

  function setCount(delta) {
    document.querySelectorAll("[data-queue-count]").forEach(function (el) {
      const value = parseInt(el.textContent, 10);
      if (!isNaN(value)) el.textContent = String(Math.max(0, value + delta));
    });
    const empty = document.querySelector("[data-queue-empty]");
    if (empty) empty.hidden = items().length > 0;
  }

  function itemUrl(id) {
    return texts.dataset.itemUrl.replace(/0\/$/, id + "/");
  }

  function fetchItem(id) {
    return fetch(itemUrl(id), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return null;
        const template = document.createElement("template");
        template.innerHTML = html.trim();
        return template.content.querySelector("[data-review-item]");
      });
  }

  const LIVE = {
    "review.added": function (data) {
      if (!onOpenQueue || document.getElementById("item-" + data.id)) return;
      fetchItem(data.id).then(function (element) {
        if (!element || document.getElementById("item-" + data.id)) return;
        list.append(element);
        setCount(+1);
        announce(texts.dataset.newItem);
      });
    },
    "review.updated": function (data) {
      const current = document.getElementById("item-" + data.id);
      if (!current) return LIVE["review.added"](data);
      // Keep what the moderator is typing: only refresh an item nobody is working on.
      if (current.contains(document.activeElement) || current.querySelector("details[open]")) return;
      fetchItem(data.id).then(function (element) {
        if (element && current.isConnected) current.replaceWith(element);
      });
    },
    "review.resolved": function (data) {
      const current = document.getElementById("item-" + data.id);
      if (!current || !onOpenQueue) return;
      current.classList.add("is-leaving");
      window.setTimeout(function () {
        current.remove();
        setCount(-1);
      }, 300);
      announce(texts.dataset.resolved);
    },
  };

  // Only the moderation topic's events: the table is keyed by event name, and
  // this page follows no other topic.
  const transport = window.LiveTransport;
  if (transport) {
    transport.on(LIVE);
    transport.onResync(function (topic) {
      if (topic !== "moderation") return false;
      refetchList();
      return true;
    });
  }

  // Missed too much to replay: take the list and its count from the page as the
  // server renders it now (same template, same filters), keeping the items
  // the moderator is working on.
  function refetchList() {
    fetch(location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        const fresh = new DOMParser().parseFromString(html, "text/html");
        const freshList = fresh.querySelector("[data-review-list]");
        if (!freshList) return;
        const kept = Array.prototype.map.call(freshList.querySelectorAll("[data-review-item]"), function (item) {
          const mine = document.getElementById(item.id);
          const busy = mine && (mine.contains(document.activeElement) || mine.querySelector("details[open]"));
          return busy ? mine : document.adoptNode(item);
        });
        list.replaceChildren.apply(list, kept);
        const freshCount = fresh.querySelector("[data-queue-count]");
        document.querySelectorAll("[data-queue-count]").forEach(function (el) {
          if (freshCount) el.textContent = freshCount.textContent;
        });
        setCount(0);
      });
  }

  // --- Keyboard ----------------------------------------------------------------------

  let current = null;

  function focusItem(element) {
    if (!element) return;
    if (current) current.classList.remove("is-current");
    current = element;
    current.classList.add("is-current");
    current.focus({ preventScroll: true });
    current.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function move(step) {
    const all = items();
    if (!all.length) return;
    const index = current ? all.indexOf(current) : -1;
    focusItem(all[Math.min(all.length - 1, Math.max(0, index + step))] || all[0]);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
      return;
    }
    if (!current || !current.isConnected) return;
    if (key === "a") {
      const form = current.querySelector('form[data-decision="approve"]');
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
    } else if (key === "h") {
      const hide = current.querySelector('details[data-decision="hide"]');
      if (hide) {
        event.preventDefault();
        hide.open = true;
        const select = hide.querySelector("select");
        if (select) select.focus();
      }
    } else if (key === "e") {
      const edit = current.querySelector('a[data-decision="edit"]');
      if (edit) {
        event.preventDefault();
        edit.click();
      }
    } else if (key === "x") {
      const box = current.querySelector("[data-select]");
      if (box) {
        event.preventDefault();
        box.checked = !box.checked;
      }
    }
  });

  list.addEventListener("focusin", function (event) {
    const item = event.target.closest("[data-review-item]");
    if (item && item !== current) {
      if (current) current.classList.remove("is-current");
      current = item;
      current.classList.add("is-current");
    }
  });
})();
