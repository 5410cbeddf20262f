// The websocket transport shared by every live page (no build step).
//
// It knows nothing of what a page shows. The page declares its topics
// (docs/architecture.md, "Live DOM contract"):
// <body data-live-topics="thread:42" data-live-cursor="1234" data-ws-url="/ws/">.
// This script opens one websocket, subscribes to each topic from the cursor the
// page was rendered at, and after a drop or a server restart reconnects with
// backoff and resumes from the last cursor it saw per topic, so nothing is
// missed (docs/websocket.md). Page scripts (live.js, moderation.js) register
// small handler tables with LiveTransport.on({...}) and a refetch for a topic
// with LiveTransport.onResync(fn); the connection opens once every deferred
// script has registered (DOMContentLoaded).
//
// Texts come from the gettext catalogue through json_script ("live-texts",
// built by frontend.context_processors.live_texts): no string, and no plural
// rule, lives here.
(function () {
  "use strict";

  const body = document.body;

  function readJson(id) {
    const el = document.getElementById(id);
    if (!el) return {};
    try {
      return JSON.parse(el.textContent) || {};
    } catch (error) {
      return {};
    }
  }

  const TEXTS = readJson("live-texts");

  function fill(message, values) {
    return String(message || "").replace(/\{(\w+)\}/g, function (_, name) {
      return values && values[name] !== undefined ? String(values[name]) : "";
    });
  }

  // A plain text, or a counted one: {zero, one, other} decided by the server's ngettext.
  function text(key, values) {
    const entry = TEXTS[key];
    if (entry && typeof entry === "object") {
      const count = values ? Number(values.count) : 0;
      return fill(count === 0 ? entry.zero : count === 1 ? entry.one : entry.other, values);
    }
    return fill(entry, values);
  }

  const statusEl = document.getElementById("live-status");
  const announcer = document.getElementById("live-announcer");

  function announce(message) {
    if (!announcer || !message) return;
    // Re-set the text even when identical, so screen readers repeat it.
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = message;
    }, 50);
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

  // --- Handler tables ----------------------------------------------------------------

  const handlers = {};
  const resyncHandlers = [];
  const presenceHandlers = [];

  function on(table) {
    Object.keys(table).forEach(function (name) {
      (handlers[name] = handlers[name] || []).push(table[name]);
    });
  }

  // fn(topic) returns true when it refetched what the page shows of that topic.
  function onResync(fn) {
    resyncHandlers.push(fn);
  }

  function onPresence(fn) {
    presenceHandlers.push(fn);
  }

  const topics = (body.dataset.liveTopics || "").split(/\s+/).filter(Boolean);

  window.LiveTransport = {
    topics: topics,
    text: text,
    announce: announce,
    showStatus: showStatus,
    hideStatus: hideStatus,
    on: on,
    onResync: onResync,
    onPresence: onPresence,
  };

  if (!topics.length || !("WebSocket" in window)) return;

  // --- The connection --------------------------------------------------------------

  // Each event reaches this socket from the process that committed it, so two
  // events committed a moment apart can arrive in either order. A reconnect
  // therefore resumes from a *settled* cursor per topic: everything up to it
  // has arrived. A frame settles once it has been SETTLE_MS in hand on a live
  // connection, or when the server's catch-up has finished after it arrived;
  // frames not settled yet are replayed by the next catch-up, and `applied`
  // keeps a replayed one from being applied twice (docs/websocket.md).
  const SETTLE_MS = 5000;
  const cursors = {};
  const unsettled = {}; // topic -> [{cursor, at}] received, not settled yet
  const applied = {}; // topic -> Set of unsettled cursors already applied
  const initialCursor = body.dataset.liveCursor || null;
  topics.forEach(function (topic) {
    cursors[topic] = initialCursor;
    unsettled[topic] = [];
    applied[topic] = new Set();
  });

  const PING_EVERY = 25000;
  const PONG_TIMEOUT = 10000;
  const BACKOFF_MIN = 1000;
  // Close codes with a reconnect policy of their own (docs/websocket.md).
  const GOING_AWAY = 1001;
  const GOING_AWAY_JITTER = 500;
  const TRY_AGAIN = 1013;
  const TRY_AGAIN_BACKOFF_MAX = 5000;
  const BACKOFF_MAX = 30000;
  let socket = null;
  let attempts = 0;
  let reconnectTimer = null;
  let pingTimer = null;
  let pongTimer = null;
  let waiting = new Set();
  let leaving = false;

  function socketUrl() {
    // batch=1: live events that are ready together come in one frame, a JSON
    // array of frames (docs/websocket.md, "Batches").
    let path = body.dataset.wsUrl || "/ws/";
    path += (path.indexOf("?") === -1 ? "?" : "&") + "batch=1";
    if (/^wss?:\/\//.test(path)) return path;
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  }

  function setState(state) {
    body.dataset.liveState = state;
    if (state === "live") hideStatus();
    else if (state === "reconnecting") showStatus(text("reconnecting"));
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
    if (Array.isArray(frame)) frame.forEach(onFrame);
    else onFrame(frame);
  }

  function onFrame(frame) {
    if (!frame) return;
    if (frame.type === "event") {
      applyEvent(frame);
    } else if (frame.type === "subscribed") {
      // The catch-up is complete (the server writes this frame after it, and
      // held live frames after this one): every frame received so far, and
      // the server's own cursor, are settled.
      settle(frame.topic, Date.now());
      advance(frame.topic, frame.cursor);
      waiting.delete(frame.topic);
      if (!waiting.size) {
        attempts = 0;
        setState("live");
      }
    } else if (frame.type === "resync") {
      if (frame.topic in unsettled) {
        unsettled[frame.topic] = [];
        applied[frame.topic].clear();
      }
      advance(frame.topic, frame.cursor);
      resync(frame.topic);
    } else if (frame.type === "presence") {
      presenceHandlers.forEach(function (fn) {
        fn(frame.count, frame.topic);
      });
    } else if (frame.type === "pong") {
      window.clearTimeout(pongTimer);
    } else if (frame.type === "error" && frame.topic) {
      // A topic this page may not follow (e.g. the thread was hidden): stop waiting for it.
      waiting.delete(frame.topic);
      if (!waiting.size) setState("live");
    }
  }

  function applyEvent(frame) {
    const topic = frame.topic;
    if (topic in applied && frame.cursor !== undefined && frame.cursor !== null) {
      const cursor = Number(frame.cursor);
      if (applied[topic].has(cursor)) return; // replayed by a catch-up: already applied
      applied[topic].add(cursor);
      unsettled[topic].push({ cursor: cursor, at: Date.now() });
      if (body.dataset.liveState === "live") settle(topic, Date.now() - SETTLE_MS);
    }
    (handlers[frame.event] || []).forEach(function (handler) {
      try {
        handler(frame.data || {}, frame);
      } catch (error) {
        // One bad event must not stop the stream; the next refetch or reload fixes the page.
        if (window.console) console.error("live-transport.js: could not apply", frame.event, error);
      }
    });
  }

  // Frames received at or before `before` are settled: the resume cursor moves
  // past them and their cursors leave `applied` (never replayed again).
  function settle(topic, before) {
    if (!(topic in unsettled)) return;
    const keep = [];
    unsettled[topic].forEach(function (item) {
      if (item.at <= before) advance(topic, item.cursor);
      else keep.push(item);
    });
    unsettled[topic] = keep;
    const floor = Number(cursors[topic]);
    applied[topic].forEach(function (cursor) {
      if (cursor <= floor && !keep.some((item) => item.cursor === cursor)) applied[topic].delete(cursor);
    });
  }

  function advance(topic, cursor) {
    if (!(topic in cursors) || cursor === undefined || cursor === null) return;
    const current = cursors[topic];
    if (current === null || current === undefined || Number(cursor) > Number(current)) cursors[topic] = String(cursor);
  }

  // Too much was missed to replay (or the server chose not to): refetch what
  // the page shows of that topic. A topic no page script can refetch reloads
  // the page, unless the reader is writing something we would lose.
  function resync(topic) {
    const handled = resyncHandlers.some(function (fn) {
      try {
        return fn(topic) === true;
      } catch (error) {
        return false;
      }
    });
    if (handled) return;
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
    const code = event && event.code;
    if (code === GOING_AWAY) {
      // This server is shutting down (a deploy, a scale-in): another one
      // answers at once behind the load balancer. A short jitter only, so
      // that its sockets do not all land in the same millisecond.
      attempts = 0;
      window.clearTimeout(reconnectTimer);
      reconnectTimer = window.setTimeout(connect, Math.random() * GOING_AWAY_JITTER);
      return;
    }
    // 4008: we flooded the server (a bug on our side); do not hammer it.
    // 1013: the server cannot hear events for now (Redis away): retry often
    // enough to be back within seconds of its return.
    scheduleReconnect(code === 4008 ? BACKOFF_MAX : 0, code === TRY_AGAIN ? TRY_AGAIN_BACKOFF_MAX : BACKOFF_MAX);
  }

  function scheduleReconnect(minimum, maximum) {
    if (reconnectTimer) return;
    attempts += 1;
    // Exponential backoff with full jitter, so that a restarted server is not
    // hit by every tab in the same second.
    const ceiling = Math.min(maximum || BACKOFF_MAX, BACKOFF_MIN * Math.pow(2, attempts - 1));
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

  // After every deferred page script has registered its handlers.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", connect);
  else connect();
})();
