// What live events change on the thread page and the question lists (no build step).
//
// The connection, cursors, reconnects and texts are live-transport.js's; this
// file only holds handler tables. The server decides what a thread shows: on
// any event about its answers, the page fetches its live parts for this
// viewer (GET /questions/<id>/reponses/, rendered by the thread page's own
// partials, with the viewer's votes, controls and CSRF token) and swaps each
// [data-live-part] in. Order, counts, badges, buttons and their labels are
// therefore those of a reload (docs/architecture.md, "How a live update flows").
// A burst of events costs one fetch; answers that did not change keep their
// node, so focus and open menus survive.
(function () {
  "use strict";

  // An anonymous thread page may come from the HTTP cache without reaching the
  // server: its reader is counted here (once per reader and period, server-side).
  const viewed = document.querySelector("[data-view-url]");
  if (viewed && navigator.sendBeacon) navigator.sendBeacon(viewed.dataset.viewUrl);

  const live = window.LiveTransport;
  if (!live) return;
  const body = document.body;

  const answersPart = document.querySelector('[data-live-part="answers"]');
  const questionList = document.querySelector("[data-question-list]");

  let statusLabels = {};
  try {
    const labels = document.getElementById("status-labels");
    if (labels) statusLabels = JSON.parse(labels.textContent) || {};
  } catch (error) {
    statusLabels = {};
  }

  // --- Keeping the reader's place -----------------------------------------------------

  // Keep what the reader is looking at still when something above it changes:
  // remember where the first visible answer (or the focused element) is, apply
  // the change, then scroll by however much it moved.
  function keepingScroll(change) {
    const anchor = scrollAnchor();
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    if (anchor && anchor.isConnected) {
      const delta = anchor.getBoundingClientRect().top - before;
      if (Math.abs(delta) >= 1) window.scrollBy(0, delta);
    }
  }

  function scrollAnchor() {
    const focused = document.activeElement;
    if (focused && focused !== body && focused.getBoundingClientRect) {
      const rect = focused.getBoundingClientRect();
      if (rect.bottom > 0 && rect.top < window.innerHeight) return focused;
    }
    const candidates = document.querySelectorAll("[data-answer-id], [data-question-id], main h1, main h2");
    for (const el of candidates) {
      const rect = el.getBoundingClientRect();
      if (rect.bottom > 0) return el;
    }
    return null;
  }

  // --- Swapping server-rendered parts in -----------------------------------------------

  // What the server sent for a node, to tell "unchanged" from "changed" without
  // being fooled by what the reader did since (an open menu, a focus ring). The
  // CSRF token is masked afresh on every render: it does not count.
  const served = new WeakMap();

  function signature(node) {
    return node.outerHTML.replace(/(name="csrfmiddlewaretoken" value=")[^"]*"/g, '$1"');
  }

  function servedSignature(node) {
    if (!served.has(node)) served.set(node, signature(node));
    return served.get(node);
  }

  function keyOf(node) {
    return node.id ? "#" + node.id : "=" + servedSignature(node);
  }

  const FOCUSABLE = "a[href], button, input, select, textarea, summary";

  // A changed answer the reader is working in: keep the focus, the open
  // menus and what was typed, by position.
  function carryState(from, to) {
    const active = document.activeElement;
    const fromFocusable = Array.prototype.slice.call(from.querySelectorAll(FOCUSABLE));
    const toFocusable = to.querySelectorAll(FOCUSABLE);
    const focusIndex = from.contains(active) ? fromFocusable.indexOf(active) : -1;
    const openDetails = from.querySelectorAll("details");
    to.querySelectorAll("details").forEach(function (el, index) {
      if (openDetails[index] && openDetails[index].open) el.open = true;
    });
    const typed = from.querySelectorAll("textarea, input[type=text]");
    to.querySelectorAll("textarea, input[type=text]").forEach(function (el, index) {
      if (typed[index] && typed[index].value !== typed[index].defaultValue) el.value = typed[index].value;
    });
    return focusIndex >= 0 ? toFocusable[focusIndex] : null;
  }

  // Make `parent`'s children be `fresh`'s, reusing every current element the
  // server rendered identically and moving only what changed place. Text
  // nodes (the whitespace between elements) are taken from `fresh` too, so
  // the result is node for node what a reload parses.
  function reconcile(parent, fresh, arrivals) {
    const current = {};
    Array.prototype.forEach.call(parent.children, function (node) {
      current[keyOf(node)] = node;
    });
    let refocus = null;
    const desired = Array.prototype.map.call(fresh.childNodes, function (node) {
      if (node.nodeType !== Node.ELEMENT_NODE) return node;
      served.set(node, signature(node));
      const key = node.id ? "#" + node.id : "=" + served.get(node);
      const existing = current[key];
      delete current[key];
      if (existing && node.hasAttribute("data-answer-list")) {
        refocus = reconcile(existing, node, arrivals) || refocus;
        return existing;
      }
      if (existing && served.get(existing) === served.get(node)) return existing;
      if (existing) {
        refocus = carryState(existing, node) || refocus;
      } else if (node.hasAttribute("data-answer-id")) {
        arrivals.push(node);
      }
      return node;
    });
    desired.forEach(function (node, index) {
      const at = parent.childNodes[index];
      if (at !== node) parent.insertBefore(node, at || null);
    });
    while (parent.childNodes.length > desired.length) parent.removeChild(parent.lastChild);
    return refocus;
  }

  function applyParts(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const list = document.querySelector("[data-answer-list]");
    const hadFocus = list && list.contains(document.activeElement) ? document.activeElement : null;
    const arrivals = [];
    let refocus = null;
    keepingScroll(function () {
      template.content.querySelectorAll("[data-live-part]").forEach(function (fresh) {
        const name = fresh.dataset.livePart;
        const current = document.querySelector('[data-live-part="' + name + '"]');
        if (!current) return;
        if (fresh.children.length && name === "answers") {
          refocus = reconcile(current, fresh, arrivals);
        } else if (servedSignature(current) !== signature(fresh)) {
          served.set(fresh, signature(fresh));
          current.replaceWith(fresh);
        }
      });
    });
    arrivals.forEach(function (node) {
      node.classList.add("is-new");
      window.setTimeout(function () {
        node.classList.remove("is-new");
      }, 2000);
    });
    if (refocus) {
      refocus.focus({ preventScroll: true });
    } else if (hadFocus && !hadFocus.isConnected) {
      // What had the focus left the page (a removed answer): keep it in the list.
      const newList = document.querySelector("[data-answer-list]");
      if (newList) {
        newList.setAttribute("tabindex", "-1");
        newList.focus({ preventScroll: true });
      }
    }
  }

  // One fetch at a time; events arriving meanwhile make one more fetch after
  // it, whatever their number. `then` runs once the page shows a state at
  // least as new as the event that asked.
  let scheduled = false;
  let running = false;
  let again = false;
  let waiting = [];
  // Every reader of a busy thread fetches after each event: spread the
  // fetches over up to 3 s as the audience grows (the presence count), which
  // also coalesces more events into each of them.
  let readers = 1;

  function refreshDelay() {
    return 50 + Math.random() * Math.min(3000, (readers - 1) * 3);
  }

  function refreshThread(then) {
    if (!answersPart) return;
    if (then) waiting.push(then);
    if (running) {
      again = true;
      return;
    }
    if (scheduled) return;
    scheduled = true;
    window.setTimeout(fetchParts, refreshDelay());
  }

  function fetchParts() {
    scheduled = false;
    running = true;
    const callbacks = waiting;
    waiting = [];
    const part = document.querySelector('[data-live-part="answers"]');
    fetch(part.dataset.liveUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        // 404/403: the thread is gone for this viewer; question.removed says so.
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html) applyParts(html);
      })
      .catch(function (error) {
        if (window.console) console.error("live.js: could not refresh the thread", error);
      })
      .then(function () {
        running = false;
        callbacks.forEach(function (fn) {
          fn();
        });
        if (again) {
          again = false;
          refreshThread();
        }
      });
  }

  function answerShown(id) {
    return Boolean(document.getElementById("answer-" + id));
  }

  // --- Question lists ----------------------------------------------------------------

  function setStatus(root, status) {
    if (!root || !status) return;
    root.querySelectorAll("[data-thread-status]").forEach(function (el) {
      el.dataset.status = status;
      if (statusLabels[status]) el.textContent = statusLabels[status];
    });
  }

  function listRow(id) {
    return questionList && questionList.querySelector('[data-question-id="' + id + '"]');
  }

  let pendingNewQuestions = 0;

  // --- The tables ----------------------------------------------------------------------

  if (answersPart) {
    live.on({
      "answer.created": function (data) {
        const name = (data.author || {}).display_name || (data.author || {}).username || "";
        const known = answerShown(data.id);
        refreshThread(function () {
          if (!known && answerShown(data.id)) live.announce(live.text("newAnswer", { name: name }));
        });
      },
      "answer.updated": function () {
        refreshThread();
      },
      "answer.voted": function () {
        refreshThread();
      },
      "answer.removed": function (data) {
        const known = answerShown(data.id);
        refreshThread(function () {
          if (known && !answerShown(data.id)) live.announce(live.text("answerRemoved"));
        });
      },
      "answer.accepted": function () {
        refreshThread(function () {
          live.announce(live.text("answerAccepted"));
        });
      },
      "answer.unaccepted": function () {
        refreshThread();
      },
      "thread.moderated": function () {
        refreshThread();
      },
      "question.updated": function (data) {
        // Public content, rendered and sanitised once by the server (forum.markdown).
        const title = document.getElementById("question-title");
        if (title && data.title) title.textContent = data.title;
        const questionBody = document.querySelector(".question__body");
        if (questionBody && data.body_html && questionBody.innerHTML !== data.body_html) {
          questionBody.innerHTML = data.body_html;
        }
      },
      "question.removed": function () {
        live.showStatus(live.text("questionRemoved"));
      },
    });
    live.onResync(function (topic) {
      if (topic.indexOf("thread:") !== 0) return false;
      refreshThread();
      return true;
    });
    live.onPresence(function (count) {
      readers = Math.max(1, Number(count) || 1);
      // Alone, you are not news.
      document.querySelectorAll("[data-presence]").forEach(function (el) {
        el.hidden = count < 2;
        if (count >= 2) el.textContent = live.text("presence", { count: count });
      });
    });
    // What the server rendered, before the reader touches anything.
    answersPart.querySelectorAll("[data-answer-id]").forEach(servedSignature);
  }

  if (questionList) {
    live.on({
      "question.created": function (data) {
        if (listRow(data.id)) return;
        // A banner rather than rows jumping in under the reader's thumb.
        pendingNewQuestions += 1;
        const banner = document.querySelector("[data-new-questions]");
        if (!banner) return;
        const link = banner.querySelector("a") || banner;
        link.textContent = live.text("newQuestions", { count: pendingNewQuestions });
        banner.hidden = false;
      },
      "question.updated": function (data) {
        const row = listRow(data.id);
        if (row && data.title) {
          row.querySelectorAll("[data-question-title], .question-row__title a").forEach(function (el) {
            el.textContent = data.title;
          });
        }
      },
      "question.removed": function (data) {
        const row = listRow(data.id);
        if (row) {
          keepingScroll(function () {
            row.remove();
          });
        }
      },
      "thread.activity": function (data) {
        const row = listRow(data.id);
        if (!row) return;
        row.querySelectorAll("[data-answer-count]").forEach(function (el) {
          el.textContent = String(data.answer_count);
        });
        row.querySelectorAll("[data-answer-count-label]").forEach(function (el) {
          el.textContent = live.text("answerCount", { count: data.answer_count });
        });
        setStatus(row, data.status);
        row.classList.toggle("is-solved", data.status === "solved");
      },
      "thread.moderated": function (data) {
        setStatus(listRow(data.id), data.status);
      },
    });
  }
})();
