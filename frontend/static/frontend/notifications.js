// The header's unread-notification counter, live: `notification.count`
// events on the member's own topic (user:me) carry the new count, decided by
// the server; this only writes it. The label is rendered by the server too,
// and kept as is (screen readers read the number).
(function () {
  "use strict";
  if (!window.LiveTransport) return;
  window.LiveTransport.on({
    "notification.count": function (data) {
      var count = Number(data && data.unread_count) || 0;
      document.querySelectorAll("[data-notification-count]").forEach(function (node) {
        node.textContent = String(count);
        node.hidden = count === 0;
      });
    },
  });
})();
