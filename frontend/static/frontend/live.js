// Live updates for server-rendered pages (no build step).
//
// The page declares what it shows (docs/architecture.md, "Live DOM contract"):
// <body data-live-topics="thread:42" data-live-cursor="1234" data-ws-url="/ws/">.
// This script opens one websocket, subscribes to each topic from the cursor the
// page was rendered at, applies events to the DOM through the HANDLERS table,
// and after a drop or a server restart reconnects with backoff and resumes
// from the last cursor it saw, so nothing is missed (docs/websocket.md).
// Handlers are idempotent: an event the page already shows changes nothing.
(function () {
  "use strict";

  const body = document.body;
  const topics = (body.dataset.liveTopics || "").split(/\s+/).filter(Boolean);
  if (!topics.length || !("WebSocket" in window)) return;

  const statusEl = document.getElementById("live-status");
  const announcer = document.getElementById("live-announcer");
  // Texts: French by default; a template may translate them with data
  // attributes on #live-status / #live-announcer (data-i18n-reconnecting...).
  const TEXTS = {
    reconnecting: "Reconnexion…",
    resync: "La page a changé pendant votre absence.",
    reload: "Recharger",
    newAnswer: "Nouvelle réponse de {name}.",
    newAnswers: "{count} nouvelles réponses.",
    answerRemoved: "Une réponse a été retirée.",
    answerAccepted: "Une réponse a été acceptée par l’auteur de la question.",
    newQuestions: "{count} nouvelle question — afficher|{count} nouvelles questions — afficher",
    questionRemoved: "Cette question a été retirée par la modération.",
    presence: "{count} personne lit cette question|{count} personnes lisent cette question",
  };
  for (const el of [statusEl, announcer]) {
    if (!el) continue;
    for (const key of Object.keys(TEXTS)) {
      const attr = "i18n" + key.charAt(0).toUpperCase() + key.slice(1);
      if (el.dataset[attr]) TEXTS[key] = el.dataset[attr];
    }
  }
  function text(key, values) {
    let message = TEXTS[key];
    if (message.indexOf("|") !== -1) message = message.split("|")[values && values.count > 1 ? 1 : 0];
    return message.replace(/\{(\w+)\}/g, function (_, name) {
      return values && values[name] !== undefined ? String(values[name]) : "";
    });
  }

  let statusLabels = {};
  try {
    const labels = document.getElementById("status-labels");
    if (labels) statusLabels = JSON.parse(labels.textContent) || {};
  } catch (error) {
    statusLabels = {};
  }

  // --- DOM helpers ----------------------------------------------------------------

  const answerList = document.querySelector("[data-answer-list]");
  const questionList = document.querySelector("[data-question-list]");

  function answerEl(id) {
    return document.getElementById("answer-" + id);
  }

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

  function setText(root, selector, value) {
    if (!root) return;
    root.querySelectorAll(selector).forEach(function (el) {
      el.textContent = value;
    });
  }

  function setStatus(root, status) {
    if (!root || !status) return;
    root.querySelectorAll("[data-thread-status]").forEach(function (el) {
      el.dataset.status = status;
      if (statusLabels[status]) el.textContent = statusLabels[status];
    });
  }

  // "0 réponse, 1 réponse, 2 réponses" but "0 answers, 1 answer, 2 answers".
  function pluralIndex(n) {
    const french = (document.documentElement.lang || "fr").slice(0, 2) === "fr";
    return french ? (n > 1 ? 1 : 0) : (n === 1 ? 0 : 1);
  }

  // A count and, beside it, its label "singular|plural" in data-forms.
  function setAnswerCount(root, value) {
    if (!root) return;
    root.querySelectorAll("[data-answer-count]").forEach(function (el) {
      el.textContent = String(value);
    });
    root.querySelectorAll("[data-answer-count-label]").forEach(function (el) {
      const forms = (el.dataset.forms || "").split("|");
      if (forms.length === 2) el.textContent = forms[pluralIndex(value)];
    });
  }

  function shiftAnswerCount(delta) {
    const el = document.querySelector("[data-answer-count]");
    const value = el ? parseInt(el.textContent, 10) : NaN;
    if (!isNaN(value)) setAnswerCount(document, Math.max(0, value + delta));
  }

  function announce(message) {
    if (!announcer) return;
    // Re-set the text even when identical, so screen readers repeat it.
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = message;
    }, 50);
  }

  function fillAnswer(article, data) {
    const body = article.querySelector("[data-answer-body]");
    // body_html is rendered and sanitised by the server (forum.markdown), once, on write.
    if (body && body.innerHTML !== data.body_html) body.innerHTML = data.body_html;
    setText(article, "[data-vote-count]", String(data.vote_count || 0));
  }

  const STAFF_ROLES = ["hr", "school"];

  // A badge from a payload ({role, organization: {name, slug}, verified_at}),
  // drawn like the server's author partial: role and organisation in words
  // (not colour alone), a check icon, a link to the organisation's page. The
  // labels and URLs come from data attributes of the live template.
  function renderBadge(container, badge) {
    const labels = container.dataset;
    const role = String(badge.role || "member");
    const key = "label" + role.charAt(0).toUpperCase() + role.slice(1);
    const org = badge.organization;
    const node = document.createElement(org ? "a" : "span");
    node.className = "badge badge--" + role;
    if (org && labels.organisationUrl) {
      node.setAttribute("href", labels.organisationUrl.replace("__slug__", encodeURIComponent(org.slug)));
    }
    if (labels.icons) {
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("class", "icon");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
      use.setAttribute("href", labels.icons + "#check");
      svg.appendChild(use);
      node.appendChild(svg);
    }
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = (labels.labelVerified || "") + " ";
    node.appendChild(hidden);
    node.appendChild(document.createTextNode([labels[key] || role, org && org.name].filter(Boolean).join(" · ")));
    return node;
  }

  function renderAnswer(data) {
    const template = document.getElementById("answer-template");
    if (!template) return null;
    const article = template.content.firstElementChild.cloneNode(true);
    article.id = "answer-" + data.id;
    article.dataset.answerId = String(data.id);
    fillAnswer(article, data);
    const author = data.author || {};
    article.querySelectorAll("[data-author-name]").forEach(function (el) {
      el.textContent = author.display_name || author.username || "";
      if (el.tagName === "A" && author.web_url) el.setAttribute("href", author.web_url);
    });
    article.querySelectorAll("[data-author-badges]").forEach(function (el) {
      el.textContent = "";
      (author.badges || []).forEach(function (badge) {
        el.appendChild(renderBadge(el, badge));
      });
    });
    // Verified HR and school staff rank right after the accepted answer.
    if ((author.badges || []).some(function (badge) { return STAFF_ROLES.indexOf(badge.role) !== -1; })) {
      article.setAttribute("data-verified-staff", "");
    }
    article.querySelectorAll("[data-answer-date]").forEach(function (el) {
      if (data.created_at) el.setAttribute("datetime", data.created_at);
    });
    article.classList.toggle("is-accepted", Boolean(data.is_accepted));
    if (author.display_name) article.setAttribute("aria-label", author.display_name);
    return article;
  }

  // Server order (forum.queries.thread_answers): accepted first, then
  // answers by verified HR or school staff, then most helpful votes, then
  // oldest. A new answer has no vote yet and is the newest, so it goes after
  // every answer it does not outrank.
  function placeAnswer(article) {
    const votes = parseInt((article.querySelector("[data-vote-count]") || {}).textContent, 10) || 0;
    const accepted = article.classList.contains("is-accepted");
    const staff = article.hasAttribute("data-verified-staff");
    let before = null;
    for (const other of answerList.querySelectorAll("[data-answer-id]")) {
      if (other === article) continue;
      if (accepted && !other.classList.contains("is-accepted")) {
        before = other;
        break;
      }
      if (other.classList.contains("is-accepted")) continue;
      const otherStaff = other.hasAttribute("data-verified-staff");
      if (staff && !otherStaff) {
        before = other;
        break;
      }
      if (otherStaff && !staff) continue;
      const otherVotes = parseInt((other.querySelector("[data-vote-count]") || {}).textContent, 10) || 0;
      if (!accepted && otherVotes < votes) {
        before = other;
        break;
      }
    }
    if (before) answerList.insertBefore(article, before);
    else answerList.appendChild(article);
  }

  function removeEmptyState() {
    document.querySelectorAll("[data-empty-answers]").forEach(function (el) {
      el.remove();
    });
  }

  // --- Event handlers: the table -----------------------------------------------------

  let pendingNewQuestions = 0;

  const HANDLERS = {
    "answer.created": function (data) {
      if (!answerList) return;
      const existing = answerEl(data.id);
      if (existing) {
        fillAnswer(existing, data);
        return;
      }
      const article = renderAnswer(data);
      if (!article) return;
      keepingScroll(function () {
        removeEmptyState();
        placeAnswer(article);
      });
      if (data.visibility === "published") shiftAnswerCount(+1);
      const author = data.author || {};
      announce(text("newAnswer", { name: author.display_name || author.username || "" }));
    },
    "answer.updated": function (data) {
      const article = answerEl(data.id);
      if (article) fillAnswer(article, data);
    },
    "answer.removed": function (data) {
      const article = answerEl(data.id);
      if (!article) return;
      const hadFocus = article.contains(document.activeElement);
      // A held answer (shown to its author only) was not in the count.
      const counted = !article.querySelector(".notice--pending");
      keepingScroll(function () {
        article.remove();
      });
      if (counted) shiftAnswerCount(-1);
      if (hadFocus && answerList) {
        answerList.setAttribute("tabindex", "-1");
        answerList.focus({ preventScroll: true });
      }
      announce(text("answerRemoved"));
    },
    "answer.voted": function (data) {
      setText(answerEl(data.id), "[data-vote-count]", String(data.vote_count));
    },
    "answer.accepted": function (data) {
      if (!answerList) return;
      const article = answerEl(data.answer_id);
      keepingScroll(function () {
        answerList.querySelectorAll(".answer.is-accepted").forEach(function (el) {
          if (el !== article) el.classList.remove("is-accepted");
        });
        if (article) {
          article.classList.add("is-accepted");
          placeAnswer(article);
        }
        document.querySelectorAll(".banner--solved").forEach(function (el) {
          el.hidden = false;
        });
      });
      setStatus(document, "solved");
      announce(text("answerAccepted"));
    },
    "answer.unaccepted": function (data) {
      const article = answerEl(data.answer_id);
      if (article) article.classList.remove("is-accepted");
      document.querySelectorAll(".banner--solved").forEach(function (el) {
        el.hidden = true;
      });
      setStatus(document, "open");
    },
    "question.updated": function (data) {
      if (questionList) {
        const row = questionList.querySelector('[data-question-id="' + data.id + '"]');
        if (row) setText(row, "[data-question-title], .question-row__title a", data.title);
        return;
      }
      const title = document.getElementById("question-title");
      if (title && data.title) title.textContent = data.title;
      const body = document.querySelector(".question__body");
      if (body && data.body_html && body.innerHTML !== data.body_html) body.innerHTML = data.body_html;
    },
    "question.removed": function (data) {
      if (questionList) {
        const row = questionList.querySelector('[data-question-id="' + data.id + '"]');
        if (row) keepingScroll(function () {
          row.remove();
        });
        return;
      }
      showStatus(text("questionRemoved"));
    },
    "question.created": function (data) {
      if (!questionList || questionList.querySelector('[data-question-id="' + data.id + '"]')) return;
      // A banner rather than rows jumping in under the reader's thumb.
      pendingNewQuestions += 1;
      const banner = document.querySelector("[data-new-questions]");
      if (!banner) return;
      const link = banner.querySelector("a") || banner;
      if (!banner.dataset.originalText) banner.dataset.originalText = link.textContent;
      link.textContent = text("newQuestions", { count: pendingNewQuestions });
      banner.hidden = false;
    },
    "thread.activity": function (data) {
      const row = questionList && questionList.querySelector('[data-question-id="' + data.id + '"]');
      if (!row) return;
      setAnswerCount(row, data.answer_count);
      setStatus(row, data.status);
      row.classList.toggle("is-solved", data.status === "solved");
    },
    "thread.moderated": function (data) {
      const row = questionList && questionList.querySelector('[data-question-id="' + data.id + '"]');
      setStatus(row || document, data.status);
    },
  };

  // --- The connection --------------------------------------------------------------

  // The last cursor seen per topic: what a reconnect resumes from.
  const cursors = {};
  const initialCursor = body.dataset.liveCursor || null;
  topics.forEach(function (topic) {
    cursors[topic] = initialCursor;
  });

  const PING_EVERY = 25000;
  const PONG_TIMEOUT = 10000;
  const BACKOFF_MIN = 1000;
  const BACKOFF_MAX = 30000;
  let socket = null;
  let attempts = 0;
  let reconnectTimer = null;
  let pingTimer = null;
  let pongTimer = null;
  let waiting = new Set();
  let leaving = false;

  function socketUrl() {
    const path = body.dataset.wsUrl || "/ws/";
    if (/^wss?:\/\//.test(path)) return path;
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  }

  function setState(state) {
    body.dataset.liveState = state;
    if (state === "live") hideStatus();
    else if (state === "reconnecting") showStatus(text("reconnecting"));
  }

  function showStatus(message, action) {
    if (!statusEl) return;
    statusEl.textContent = message;
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "live-status__action";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      statusEl.append(" ", button);
    }
    statusEl.hidden = false;
  }

  function hideStatus() {
    if (!statusEl || statusEl.dataset.sticky) return;
    statusEl.hidden = true;
    statusEl.textContent = "";
  }

  function connect() {
    window.clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (socket && socket.readyState <= WebSocket.OPEN) return;
    if (!body.dataset.liveState) setState("connecting");
    try {
      socket = new WebSocket(socketUrl());
    } catch (error) {
      scheduleReconnect();
      return;
    }
    socket.addEventListener("open", onOpen);
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", onClose);
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  function onOpen() {
    waiting = new Set(topics);
    topics.forEach(function (topic) {
      send({ type: "subscribe", topic: topic, since: cursors[topic] });
    });
    keepAlive();
  }

  function onMessage(message) {
    let frame;
    try {
      frame = JSON.parse(message.data);
    } catch (error) {
      return;
    }
    if (frame.type === "event") {
      applyEvent(frame);
    } else if (frame.type === "subscribed") {
      advance(frame.topic, frame.cursor);
      waiting.delete(frame.topic);
      if (!waiting.size) {
        attempts = 0;
        setState("live");
      }
    } else if (frame.type === "resync") {
      advance(frame.topic, frame.cursor);
      resync();
    } else if (frame.type === "presence") {
      showPresence(frame.count);
    } else if (frame.type === "pong") {
      window.clearTimeout(pongTimer);
    } else if (frame.type === "error" && frame.topic) {
      // A topic this page may not follow (e.g. the thread was hidden): stop waiting for it.
      waiting.delete(frame.topic);
      if (!waiting.size) setState("live");
    }
  }

  // "12 personnes lisent cette question", in [data-presence] if the page has
  // one (its data-i18n-presence may translate the text). Alone, you are not news.
  function showPresence(count) {
    document.querySelectorAll("[data-presence]").forEach(function (el) {
      el.hidden = count < 2;
      if (count < 2) return;
      const forms = (el.dataset.i18nPresence || TEXTS.presence).split("|");
      el.textContent = forms[Math.min(forms.length - 1, count > 1 ? 1 : 0)].replace("{count}", String(count));
    });
  }

  function applyEvent(frame) {
    const handler = HANDLERS[frame.event];
    if (handler) {
      try {
        handler(frame.data || {});
      } catch (error) {
        // One bad event must not stop the stream; the next reload fixes the page.
        if (window.console) console.error("live.js: could not apply", frame.event, error);
      }
    }
    // Page scripts (e.g. moderation.js on the review queue) apply events this
    // table does not know: they listen to "live:event" on the document.
    document.dispatchEvent(
      new CustomEvent("live:event", { detail: { event: frame.event, topic: frame.topic, data: frame.data || {} } })
    );
    advance(frame.topic, frame.cursor);
  }

  function advance(topic, cursor) {
    if (!(topic in cursors) || cursor === undefined || cursor === null) return;
    const current = cursors[topic];
    if (current === null || current === undefined || Number(cursor) > Number(current)) cursors[topic] = String(cursor);
  }

  function resync() {
    // Too much was missed to replay: the page itself is stale. Reload, unless
    // the reader is writing something we would lose.
    const busy = Array.prototype.some.call(document.querySelectorAll("textarea, input[type=text]"), function (el) {
      return el.value.trim() !== "" && el.defaultValue !== el.value;
    });
    if (!busy) {
      location.reload();
      return;
    }
    if (statusEl) statusEl.dataset.sticky = "1";
    showStatus(text("resync"), {
      label: text("reload"),
      run: function () {
        location.reload();
      },
    });
  }

  function keepAlive() {
    window.clearInterval(pingTimer);
    pingTimer = window.setInterval(function () {
      send({ type: "ping" });
      window.clearTimeout(pongTimer);
      // No pong: the connection is dead without having told us (a phone that
      // changed network). Close it and reconnect.
      pongTimer = window.setTimeout(function () {
        if (socket) socket.close();
      }, PONG_TIMEOUT);
    }, PING_EVERY);
  }

  function onClose(event) {
    window.clearInterval(pingTimer);
    window.clearTimeout(pongTimer);
    socket = null;
    if (leaving) return;
    setState("reconnecting");
    // 4008: we flooded the server (a bug on our side); do not hammer it.
    scheduleReconnect(event && event.code === 4008 ? BACKOFF_MAX : 0);
  }

  function scheduleReconnect(minimum) {
    if (reconnectTimer) return;
    attempts += 1;
    // Exponential backoff with full jitter, so that a restarted server is not
    // hit by every tab in the same second.
    const ceiling = Math.min(BACKOFF_MAX, BACKOFF_MIN * Math.pow(2, attempts - 1));
    const delay = Math.max(minimum || 0, ceiling / 2 + Math.random() * (ceiling / 2));
    reconnectTimer = window.setTimeout(connect, delay);
  }

  // Back on the network or back to the tab: try now rather than at the end of a long backoff.
  function reconnectNow() {
    leaving = false;
    if (socket) return;
    window.clearTimeout(reconnectTimer);
    reconnectTimer = null;
    connect();
  }
  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") reconnectNow();
  });
  // Restored from the back/forward cache: catch up from the cursors we kept.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) reconnectNow();
  });
  // Leaving the page closes the socket: that is not a drop worth showing.
  window.addEventListener("pagehide", function () {
    leaving = true;
  });

  connect();
})();
