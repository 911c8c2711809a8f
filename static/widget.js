// The website widget's page: send in place, live updates over /cable (RoomChannel with the
// contact inbox's pubsub token), catching up after a reconnect, and the postMessage bridge to
// sdk.js ("chatwoot-widget:" + JSON). Everything here enhances a page that works without it.
(function () {
  "use strict";
  var root = document.getElementById("widget");
  if (!root) return;
  var d = root.dataset;
  var websiteToken = d.websiteToken;
  var authToken = d.authToken;
  var pubsubToken = d.pubsubToken || "";
  var locale = d.locale || "en";
  var lastId = parseInt(d.lastId || "0", 10) || 0;
  var list = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("content");
  var send = document.getElementById("send");
  var typingNote = document.getElementById("typing");
  var body = document.querySelector(".body");
  var PREFIX = "chatwoot-widget:";
  var inFrame = window.parent !== window;
  var triggered = false;

  function api(method, path, payload) {
    var sep = path.indexOf("?") === -1 ? "?" : "&";
    var url = "/api/v1/widget" + path + sep + "website_token=" + encodeURIComponent(websiteToken) + "&locale=" + encodeURIComponent(locale);
    var init = { method: method, headers: { "X-Auth-Token": authToken, "Accept": "application/json" } };
    if (payload !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    return fetch(url, init).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.status === 204 || r.headers.get("content-length") === "0" ? null : r.text().then(function (t) { return t ? JSON.parse(t) : null; });
    });
  }

  function toParent(event, data) {
    if (!inFrame) return;
    var message = { event: event };
    for (var key in data || {}) message[key] = data[key];
    window.parent.postMessage(PREFIX + JSON.stringify(message), "*");
  }

  // The page again, as this visitor (the iframe's own URL may predate their token).
  function reload(withLocale) {
    var theme = document.documentElement.className.replace("theme-", "");
    location.replace("/widget?website_token=" + encodeURIComponent(websiteToken) + "&cw_conversation=" + encodeURIComponent(authToken) +
      "&locale=" + encodeURIComponent(withLocale) + "&dark_mode=" + encodeURIComponent(theme));
  }

  function scrollDown() { if (body) body.scrollTop = body.scrollHeight; }

  function text(node, value) { node.textContent = value; return node; }

  function el(tag, cls) { var n = document.createElement(tag); if (cls) n.className = cls; return n; }

  // A message from the API or /cable, rendered like the server renders it (text only: the
  // server's markdown is not repeated here, so content is shown as plain text).
  function render(m) {
    var mine = m.message_type === 0;
    var li = el("li", "message " + (mine ? "mine" : "theirs"));
    li.dataset.id = m.id;
    var sender = m.sender || {};
    li.appendChild(text(el("span", "author"), mine ? d.you : (sender.available_name || sender.name || d.inboxName)));
    var bubble = el("div", "bubble");
    (m.content || "").split(/\n{2,}/).forEach(function (para) {
      if (para) bubble.appendChild(text(el("p"), para));
    });
    (m.attachments || []).forEach(function (a) {
      var link = text(el("a", "file"), a.data_url.split("/").pop());
      link.href = a.data_url; link.target = "_blank"; link.rel = "noopener";
      bubble.appendChild(link);
    });
    if (m.content_type === "input_csat") bubble.appendChild(csatForm(m));
    li.appendChild(bubble);
    var time = el("time");
    var at = new Date((m.created_at || 0) * 1000);
    time.dateTime = at.toISOString();
    time.textContent = localTime(at);
    li.appendChild(time);
    return li;
  }

  function csatForm(m) {
    var box = el("div");
    var submitted = m.content_attributes && m.content_attributes.submitted_values;
    if (submitted && submitted.csat_survey_response) {
      box.appendChild(text(el("p", "rated"), d.rated));
    } else {
      var f = el("form", "csat");
      var labels = (d.ratingLabels || "").split("|");
      f.dataset.messageId = m.id;
      f.setAttribute("aria-label", d.rate);
      ["😞", "😑", "😐", "😀", "😍"].forEach(function (symbol, i) {
        var b = el("button", "rating");
        b.type = "submit"; b.name = "rating"; b.value = String(i + 1);
        b.setAttribute("aria-label", labels[i] || String(i + 1));
        b.title = labels[i] || "";
        b.appendChild(text(el("span"), symbol)).setAttribute("aria-hidden", "true");
        f.appendChild(b);
      });
      box.appendChild(f);
    }
    if (d.surveyUrl) {
      var link = text(el("a", "survey-link"), d.rateLink);
      link.href = d.surveyUrl; link.target = "_blank"; link.rel = "noopener";
      box.appendChild(link);
    }
    return box;
  }

  function localTime(at) {
    try { return at.toLocaleTimeString(locale.replace("_", "-"), { hour: "2-digit", minute: "2-digit" }); }
    catch (err) { return at.toISOString().slice(11, 16); }
  }
  // The server writes UTC times; the visitor reads their own.
  list.querySelectorAll("time[datetime]").forEach(function (t) { t.textContent = localTime(new Date(t.dateTime)); });

  function upsert(m) {
    if (m.private || m.message_type === 2) return;
    // A survey for a conversation this page did not know yet: the server renders its link.
    if (m.content_type === "input_csat" && !d.surveyUrl && !input.value) { reload(locale); return; }
    var empty = document.getElementById("empty");
    if (empty) empty.remove();
    var node = render(m);
    var existing = list.querySelector('[data-id="' + m.id + '"]');
    if (existing) { list.replaceChild(node, existing); return; }
    list.appendChild(node);
    if (m.id > lastId) lastId = m.id;
    scrollDown();
    if (m.message_type !== 0) toParent("onEvent", { eventIdentifier: "chatwoot:on-message", data: m });
  }

  // Ratings (server-rendered or added here) are answered in place.
  list.addEventListener("submit", function (e) {
    var f = e.target.closest ? e.target.closest("form.csat") : null;
    if (!f) return;
    e.preventDefault();
    var value = e.submitter ? parseInt(e.submitter.value, 10) : 5;
    api("PATCH", "/messages/" + f.dataset.messageId, { message: { submitted_values: { csat_survey_response: { rating: value } } } })
      .then(function () { var p = text(el("p", "rated"), d.rated); p.setAttribute("role", "status"); f.replaceWith(p); })
      .catch(function () { /* the survey link stays */ });
  });

  // Sending in place; the pre-chat form's fields go with the first message.
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var content = input.value.trim();
    if (!content) return;
    var pre = document.getElementById("pre-chat");
    var request;
    if (pre) {
      var contact = {};
      pre.querySelectorAll("input").forEach(function (i) { if (i.value) contact[i.name] = i.value; });
      request = api("POST", "/conversations", { contact: contact, message: { content: content, referer_url: document.referrer, timestamp: new Date().toString() } })
        .then(function (c) { pre.remove(); form.classList.remove("composer--pre-chat"); send.textContent = d.send; return c.messages[0]; });
    } else {
      request = api("POST", "/messages", { message: { content: content, referer_url: document.referrer, timestamp: new Date().toString() } });
    }
    send.disabled = true;
    request.then(function (m) {
      input.value = "";
      input.style.height = "";
      var note = document.getElementById("resolved");
      if (note) note.remove();
      m.message_type = 0;
      upsert(m);
      typing(false);
      if (!pubsubToken) connectAfterFirstMessage();
    }).catch(function () {
      var err = form.querySelector(".error") || el("p", "error");
      err.setAttribute("role", "alert");
      err.textContent = d.failed;
      form.insertBefore(err, form.firstChild.nextSibling);
    }).then(function () { send.disabled = false; input.focus(); });
  });

  // Attachments (JavaScript only): the file goes alone, as multipart message[attachments][].
  var attach = document.getElementById("attach");
  var file = document.getElementById("file");
  if (attach && file && window.FormData) {
    attach.hidden = false;
    attach.addEventListener("click", function () { file.click(); });
    file.addEventListener("change", function () {
      if (!file.files.length) return;
      var data = new FormData();
      data.append("message[attachments][]", file.files[0]);
      if (input.value.trim()) data.append("message[content]", input.value.trim());
      var url = "/api/v1/widget/messages?website_token=" + encodeURIComponent(websiteToken) + "&locale=" + encodeURIComponent(locale);
      attach.disabled = true;
      fetch(url, { method: "POST", headers: { "X-Auth-Token": authToken }, body: data })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (m) { input.value = ""; m.message_type = 0; upsert(m); if (!pubsubToken) connectAfterFirstMessage(); })
        .catch(function () { var err = el("p", "error"); err.setAttribute("role", "alert"); err.textContent = d.failed; form.insertBefore(err, form.firstChild); })
        .then(function () { attach.disabled = false; file.value = ""; });
    });
  }

  // Enter sends, Shift+Enter is a new line.
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  var typingOn = false, typingTimer = null;
  function typing(on) {
    if (!pubsubToken || on === typingOn) return;
    typingOn = on;
    api("POST", "/conversations/toggle_typing", { typing_status: on ? "on" : "off" }).catch(function () {});
  }
  input.addEventListener("input", function () {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 128) + "px";
    input.style.overflowY = input.scrollHeight > 126 ? "auto" : "hidden";
    typing(true);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typing(false); }, 2000);
  });

  function seen() { if (pubsubToken) api("POST", "/conversations/update_last_seen").catch(function () {}); }

  // /cable
  var socket = null, identifier = null, retry = 0, presence = null;
  function connect() {
    if (!pubsubToken || !window.WebSocket || socket || offline) return;
    identifier = JSON.stringify({ channel: "RoomChannel", pubsub_token: pubsubToken });
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/cable", ["actioncable-v1-json", "actioncable-unsupported"]);
    socket.onmessage = function (e) {
      var frame;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      if (frame.type === "welcome") {
        socket.send(JSON.stringify({ command: "subscribe", identifier: identifier }));
      } else if (frame.type === "confirm_subscription") {
        retry = 0;
        root.dataset.live = "connected";
        // Whatever was written between the page (or the first message) and this subscription
        // arrived before anyone listened: fetch it (upsert skips what is already shown).
        catchUp();
        clearInterval(presence);
        presence = setInterval(function () {
          if (socket && socket.readyState === 1) socket.send(JSON.stringify({ command: "message", identifier: identifier, data: JSON.stringify({ action: "update_presence" }) }));
        }, 20000);
      } else if (frame.message && frame.message.event) {
        handle(frame.message.event, frame.message.data || {});
      }
    };
    socket.onclose = function () {
      clearInterval(presence);
      socket = null;
      root.dataset.live = "closed";
      if (offline) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * Math.pow(2, retry - 1));
    };
  }

  // Offline: stop trying; back online: reconnect at once (and catch up on confirmation).
  var offline = false;
  window.addEventListener("offline", function () { offline = true; if (socket) socket.close(); });
  window.addEventListener("online", function () { offline = false; retry = 0; if (!socket) connect(); });

  function catchUp() {
    api("GET", "/messages" + (lastId ? "?after=" + lastId : "")).then(function (r) {
      (r && r.payload || []).forEach(upsert);
    }).catch(function () {});
  }

  function handle(event, data) {
    if (event === "message.created" || event === "message.updated") {
      upsert(data);
      if (event === "message.created" && data.message_type !== 0) { typingNote.hidden = true; seen(); }
    } else if (event === "conversation.typing_on" || event === "conversation.typing_off") {
      if (data.is_private) return;
      var user = data.user || {};
      if (user.type === "contact") return;
      typingNote.hidden = event === "conversation.typing_off";
    } else if (event === "conversation.status_changed") {
      if (data.status === "resolved" && !document.getElementById("resolved")) {
        var note = text(el("p", "notice"), d.resolved);
        note.id = "resolved";
        typingNote.after(note);
      } else if (data.status !== "resolved") {
        var old = document.getElementById("resolved");
        if (old) old.remove();
      }
    } else if (event === "contact.merged" && data.pubsub_token) {
      pubsubToken = data.pubsub_token;
      if (socket) socket.close();
    }
  }

  function connectAfterFirstMessage() {
    api("POST", "/config").then(function (c) {
      if (c && c.contact && c.contact.pubsub_token) {
        pubsubToken = c.contact.pubsub_token;
        connect();
      }
    }).catch(function () {});
  }

  // The bridge to sdk.js.
  var closeButton = document.getElementById("close");
  var endButton = document.getElementById("end");
  if (inFrame && closeButton) {
    closeButton.hidden = false;
    closeButton.addEventListener("click", function () { toParent("closeWindow"); });
  }
  if (endButton) {
    endButton.hidden = false;
    endButton.addEventListener("click", function () {
      api("GET", "/conversations/toggle_status").then(function () { endButton.remove(); }).catch(function () {});
    });
  }
  // Escape closes the widget; Tab stays inside it while it is open (a focus trap).
  document.addEventListener("keydown", function (e) {
    if (!inFrame) return;
    if (e.key === "Escape") { toParent("closeWindow"); return; }
    if (e.key !== "Tab") return;
    var focusable = Array.prototype.filter.call(
      root.querySelectorAll("a[href], button:not([disabled]), textarea, input:not([type=hidden])"),
      function (n) { return !n.hidden && n.offsetParent !== null; });
    if (!focusable.length) return;
    var first = focusable[0], last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });

  function onParent(e) {
    if (typeof e.data !== "string" || e.data.indexOf(PREFIX) !== 0) return;
    var msg;
    try { msg = JSON.parse(e.data.slice(PREFIX.length)); } catch (err) { return; }
    switch (msg.event) {
      case "widget-visible":
      case "toggle-open":
        if (msg.isOpen === false) break;
        input.focus();
        seen();
        if (!triggered) {
          triggered = true;
          api("POST", "/events", { name: "webwidget.triggered", event_info: { referer: document.referrer } }).catch(function () {});
        }
        break;
      case "set-user":
        var u = msg.user || {};
        u.identifier = msg.identifier;
        api("PATCH", "/contact/set_user", { contact: u }).then(function (r) {
          if (r && r.widget_auth_token) {
            authToken = r.widget_auth_token;
            toParent("setAuthCookie", { data: { widgetAuthToken: authToken } });
            reload(locale);
          } else {
            connectAfterFirstMessage();
          }
        }).catch(function (err) { toParent("error", { errorType: "SET_USER_ERROR", data: { message: String(err) } }); });
        break;
      case "set-custom-attributes":
        api("PATCH", "/contact", { custom_attributes: msg.customAttributes || {} }).catch(function () {});
        break;
      case "delete-custom-attribute":
        api("POST", "/contact/destroy_custom_attributes", { custom_attributes: [msg.customAttribute] }).catch(function () {});
        break;
      case "set-conversation-custom-attributes":
        api("POST", "/conversations/set_custom_attributes", { custom_attributes: msg.customAttributes || {} }).catch(function () {});
        break;
      case "set-label":
        api("POST", "/labels", { label: msg.label }).catch(function () {});
        break;
      case "remove-label":
        api("DELETE", "/labels/" + encodeURIComponent(msg.label)).catch(function () {});
        break;
      case "set-locale":
        if (msg.locale && msg.locale !== locale) {
          reload(msg.locale);
        }
        break;
      case "config-set":
        var pop = document.getElementById("popout");
        if (pop && msg.showPopoutButton) {
          pop.hidden = false;
          pop.addEventListener("click", function () { toParent("popoutChatWindow"); });
        }
        break;
      case "set-color-scheme":
        document.documentElement.className = "theme-" + (msg.darkMode === "auto" ? "auto" : msg.darkMode === "dark" ? "dark" : "light");
        break;
    }
  }
  window.addEventListener("message", onParent);

  scrollDown();
  connect();
  toParent("loaded", { config: { authToken: authToken, channelConfig: { websiteToken: websiteToken, locale: locale, widgetColor: d.color } } });
})();
