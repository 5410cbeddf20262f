// What live events change on a live session page (no build step).
//
// The connection, cursors and reconnects are live-transport.js's. Every event
// of the live:<id> topic carries the public question as the server rendered
// and sanitised it, so 5,000 watchers apply it without fetching anything: a
// new question is the page's own <template> (rendered by the server for this
// viewer, with its controls and CSRF token) filled with the payload; counts
// use the texts the server translated (#live-session-texts). After a resync,
// or when the session starts or ends, the page fetches its live parts for
// this viewer (GET /chats-conseil/<id>/direct/) and swaps each
// [data-live-part] in: what a reload would show. Without JavaScript every
// control is a form and a reload shows the current state.
(function () {
  "use strict";

  const live = window.LiveTransport;
  const root = document.querySelector("[data-live-session]");
  if (!live || !root) return;

  const topic = "live:" + root.dataset.liveSession;
  const viewerId = root.dataset.viewerId || "";
  const template = document.getElementById("live-question-template");
  let texts = {};
  try {
    texts = JSON.parse(document.getElementById("live-session-texts").textContent) || {};
  } catch (error) {
    texts = {};
  }

  function fill(message, values) {
    return String(message || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function counted(key, n) {
    const forms = texts[key] || {};
    return fill(n === 0 ? forms.zero : n === 1 ? forms.one : forms.other, { count: n });
  }

  function nodeOf(id) {
    return document.getElementById("live-question-" + id);
  }

  function queue() {
    return document.querySelector("[data-live-queue]");
  }

  function answered() {
    return document.querySelector("[data-live-answered]");
  }

  function refreshEmpties() {
    const q = queue();
    const a = answered();
    const qEmpty = document.querySelector("[data-live-queue-empty]");
    const aEmpty = document.querySelector("[data-live-answered-empty]");
    if (q && qEmpty) qEmpty.hidden = q.children.length > 0;
    if (a && aEmpty) aEmpty.hidden = a.children.length > 0;
  }

  function setVotes(el, count) {
    el.dataset.votes = String(count);
    const label = el.querySelector("[data-vote-count]");
    if (label) label.textContent = counted("votes", count);
  }

  // Most votes first, ties by age (the server's order), when the reader chose it.
  function reorder() {
    const list = queue();
    if (!list || list.dataset.order !== "votes") return;
    const items = Array.prototype.slice.call(list.children);
    const sorted = items.slice().sort(function (a, b) {
      const byVotes = Number(b.dataset.votes) - Number(a.dataset.votes);
      if (byVotes) return byVotes;
      return Date.parse(a.dataset.created) - Date.parse(b.dataset.created) || Number(a.dataset.liveQuestion) - Number(b.dataset.liveQuestion);
    });
    if (sorted.every(function (el, i) { return el === items[i]; })) return;
    const focused = document.activeElement;
    sorted.forEach(function (el) {
      list.appendChild(el);
    });
    if (focused && focused.isConnected && focused !== document.body) focused.focus({ preventScroll: true });
  }

  function apply(el, data) {
    setVotes(el, data.vote_count || 0);
    el.dataset.status = data.status;
    el.classList.toggle("is-answering", data.status === "answering");
    const answering = el.querySelector("[data-q-answering]");
    if (answering) {
      answering.hidden = data.status !== "answering";
      const label = answering.querySelector("[data-q-answering-text]");
      if (label && data.answering_host) label.textContent = fill(texts.answering, { name: data.answering_host.display_name });
    }
    if (data.status === "answered") {
      const block = el.querySelector("[data-q-answer]");
      if (block) {
        block.hidden = false;
        // Rendered and sanitised once by the server (forum.markdown).
        block.querySelector("[data-q-answer-body]").innerHTML = data.answer_html || "";
        if (data.answered_by) block.querySelector("[data-q-answered-by]").textContent = fill(texts.answeredBy, { name: data.answered_by.display_name });
      }
      el.querySelectorAll("[data-host-tools], [data-live-vote-form], [data-live-merge-form]").forEach(function (tool) {
        tool.remove();
      });
      const list = answered();
      if (list && el.parentNode !== list) list.insertBefore(el, list.firstChild);
    }
  }

  function build(data) {
    const el = template.content.firstElementChild ? template.content.querySelector("[data-live-question]").cloneNode(true) : null;
    if (!el) return null;
    el.id = "live-question-" + data.id;
    el.dataset.liveQuestion = String(data.id);
    el.dataset.created = data.created_at || "";
    el.querySelectorAll("form[action]").forEach(function (form) {
      form.setAttribute("action", form.getAttribute("action").replace("/0/", "/" + data.id + "/"));
    });
    // The blank's number is 0 (a moderator merges by number): the only digit in the text.
    const number = el.querySelector("[data-q-number]");
    if (number) number.textContent = number.textContent.replace(/\b0\b/, String(data.id));
    if (data.author && String(data.author.id) === viewerId) {
      el.querySelectorAll("[data-live-vote-form]").forEach(function (form) {
        form.remove();
      });
    }
    el.querySelector("[data-q-body]").innerHTML = data.body_html || "";
    const author = el.querySelector("[data-q-author]");
    if (author && data.author) {
      const link = document.createElement("a");
      link.href = data.author.web_url;
      link.textContent = data.author.display_name;
      author.appendChild(link);
    }
    bindVote(el);
    return el;
  }

  function upsert(data, announceIt) {
    let el = nodeOf(data.id);
    if (!el) {
      el = build(data);
      if (!el) return;
      const list = data.status === "answered" ? answered() : queue();
      if (!list) return;
      // At the end of the queue (the newest, with no votes yet), or on top of the answers.
      if (list === answered()) list.insertBefore(el, list.firstChild);
      else list.appendChild(el);
      el.classList.add("is-new");
      window.setTimeout(function () {
        el.classList.remove("is-new");
      }, 2000);
      if (announceIt) live.announce(texts.newQuestion);
    }
    apply(el, data);
    reorder();
    refreshEmpties();
  }

  live.on({
    "live.question.created": function (data) {
      upsert(data, true);
    },
    "live.question.answering": function (data) {
      upsert(data, false);
    },
    "live.question.answered": function (data) {
      upsert(data, false);
      live.announce(texts.newAnswer);
    },
    "live.votes": function (data) {
      (data.questions || []).forEach(function (item) {
        const el = nodeOf(item.id);
        if (el) setVotes(el, item.vote_count);
      });
      reorder();
    },
    "live.question.removed": function (data) {
      const el = nodeOf(data.id);
      if (el) el.remove();
      refreshEmpties();
    },
    "live.session.updated": function (data) {
      const part = document.querySelector('[data-live-part="phase"]');
      if (part && part.dataset.phase !== data.phase) fetchParts();
    },
  });

  let lastViewers = null;
  live.onPresence(function (count, frameTopic) {
    if (frameTopic !== topic) return;
    const el = document.querySelector("[data-viewer-count]");
    if (!el) return;
    lastViewers = counted("viewers", count);
    el.textContent = lastViewers;
    el.hidden = false;
  });

  // --- The live parts, for this viewer ---------------------------------------------------

  let fetching = false;
  let again = false;

  function fetchParts() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    fetch(root.dataset.livePartsUrl + window.location.search, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        const holder = document.createElement("template");
        holder.innerHTML = html;
        holder.content.querySelectorAll("[data-live-part]").forEach(function (fresh) {
          const current = document.querySelector('[data-live-part="' + fresh.dataset.livePart + '"]');
          if (current) current.replaceWith(fresh);
        });
        document.querySelectorAll("[data-live-question]").forEach(bindVote);
        refreshPresence();
        startCountdown();
      })
      .catch(function () {
        /* the next event or a reload fixes the page */
      })
      .then(function () {
        fetching = false;
        if (again) {
          again = false;
          fetchParts();
        }
      });
  }

  function refreshPresence() {
    const el = document.querySelector("[data-viewer-count]");
    if (el && lastViewers) {
      el.textContent = lastViewers;
      el.hidden = false;
    }
  }
  live.onResync(function (resyncTopic) {
    if (resyncTopic !== topic) return false;
    fetchParts();
    return true;
  });

  // --- Voting without leaving the page ----------------------------------------------------

  function bindVote(el) {
    el.querySelectorAll("[data-live-vote-form]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        const button = form.querySelector("button");
        fetch(form.getAttribute("action"), {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        })
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          })
          .then(function (result) {
            button.classList.toggle("is-voted", result.voted);
            button.setAttribute("aria-pressed", result.voted ? "true" : "false");
            setVotes(el, result.vote_count);
            reorder();
          })
          .catch(function () {
            form.submit();
          });
      });
    });
  }

  document.querySelectorAll("[data-live-question]").forEach(function (el) {
    if (el.closest("template")) return;
    bindVote(el);
  });

  // --- Countdown to the start --------------------------------------------------------------

  let countdownTimer = null;
  function startCountdown() {
    window.clearInterval(countdownTimer);
    const el = document.querySelector("[data-countdown]");
    if (!el) return;
    const start = Date.parse(el.getAttribute("datetime"));
    function tick() {
      const left = Math.max(0, Math.round((start - Date.now()) / 1000));
      // Days away, the server's words ("6 jours, 3 heures") read better than a clock.
      if (left > 86400) return;
      const pad = function (n) {
        return n < 10 ? "0" + n : String(n);
      };
      el.textContent = fill(texts.countdown, {
        hours: Math.floor(left / 3600),
        minutes: pad(Math.floor((left % 3600) / 60)),
        seconds: pad(left % 60),
      });
      if (left === 0) {
        window.clearInterval(countdownTimer);
        // The server decides that it started (and shows the hosts their tools).
        window.setTimeout(fetchParts, 1000 + Math.random() * 4000);
      }
    }
    tick();
    countdownTimer = window.setInterval(tick, 1000);
  }
  startCountdown();
})();
