// Parlor agent app: progressive enhancement of the server-rendered pages. Without this file
// every page and form still works; with it, lists and threads update live over /cable
// (ActionCable's RoomChannel), replies are sent in place, and keyboard shortcuts work.
(function () {
  "use strict";
  var body = document.body;
  if (!body || !body.getAttribute("data-account")) { return; }
  document.documentElement.classList.add("js");
  var account = Number(body.getAttribute("data-account"));
  var userId = Number(body.getAttribute("data-user"));
  var pubsub = body.getAttribute("data-pubsub");
  var csrfMeta = document.querySelector("meta[name=csrf-token]");
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var conversation = document.getElementById("conversation");
  var displayId = conversation ? Number(conversation.getAttribute("data-conversation")) : 0;
  var base = conversation ? conversation.getAttribute("data-base") : "";
  var list = document.querySelector("[data-live-list]");

  function post(url, fields) {
    var data = new URLSearchParams(fields);
    data.set("_csrf", csrf);
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" });
  }

  // ---- the thread -------------------------------------------------------------------------
  var thread = document.getElementById("thread");
  var loading = false, again = false;
  function lastId() { return Number(conversation.getAttribute("data-last") || 0); }
  function loadNew() {
    if (!conversation || !thread) { return Promise.resolve(); }
    if (loading) { again = true; return Promise.resolve(); }
    loading = true;
    return fetch(base + "/thread?after=" + lastId(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        var holder = document.createElement("ol");
        holder.innerHTML = html;
        Array.prototype.slice.call(holder.children).forEach(function (li) {
          var id = Number(li.getAttribute("data-message"));
          var old = document.getElementById("m" + id);
          if (old) { old.replaceWith(li); } else { thread.appendChild(li); }
          if (id > lastId()) { conversation.setAttribute("data-last", String(id)); }
        });
        var empty = conversation.querySelector(".thread-col > .empty");
        if (empty && thread.children.length) { empty.remove(); }
        if (holder.children.length) { thread.lastElementChild.scrollIntoView({ block: "nearest" }); }
      })
      .catch(function () {})
      .then(function () { loading = false; if (again) { again = false; loadNew(); } });
  }

  // ---- the list ---------------------------------------------------------------------------
  var listTimer = 0;
  function refreshList() {
    if (!list) { return; }
    clearTimeout(listTimer);
    listTimer = setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (!html) { return; }
          var next = new DOMParser().parseFromString(html, "text/html");
          var fresh = next.querySelector("[data-live-list]");
          if (fresh) {
            var selected = currentRow() ? currentRow().getAttribute("data-conversation") : null;
            list.innerHTML = fresh.innerHTML;
            if (selected) { select(list.querySelector('[data-conversation="' + selected + '"]')); }
            rememberOrder();
          }
          ["mine", "unassigned", "all"].forEach(function (key) {
            var now = document.querySelector('[data-count="' + key + '"]');
            var then = next.querySelector('[data-count="' + key + '"]');
            if (now && then) { now.textContent = then.textContent; }
          });
        })
        .catch(function () {});
    }, 150);
  }

  // ---- typing -----------------------------------------------------------------------------
  var typingBox = document.getElementById("typing");
  var typingTimer = 0;
  function showTyping(name, on) {
    if (!typingBox) { return; }
    clearTimeout(typingTimer);
    typingBox.querySelector("[data-typer]").textContent = name || "";
    typingBox.hidden = !on;
    if (on) { typingTimer = setTimeout(function () { typingBox.hidden = true; }, 30000); }
  }

  // ---- /cable -----------------------------------------------------------------------------
  var identifier = JSON.stringify({ channel: "RoomChannel", pubsub_token: pubsub, account_id: account, user_id: userId });
  var retry = 1000;
  function connect() {
    if (!window.WebSocket || !pubsub) { return; }
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/cable", ["actioncable-v1-json"]);
    var presence = 0;
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "welcome") {
        socket.send(JSON.stringify({ command: "subscribe", identifier: identifier }));
        return;
      }
      if (frame.type === "confirm_subscription") {
        retry = 1000;
        presence = setInterval(function () {
          socket.send(JSON.stringify({ command: "message", identifier: identifier, data: JSON.stringify({ action: "update_presence" }) }));
        }, 20000);
        return;
      }
      if (!frame.message || !frame.message.event) { return; }
      handle(frame.message.event, frame.message.data || {});
    };
    socket.onclose = function () {
      clearInterval(presence);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  function conversationOf(event, data) {
    if (event.indexOf("message.") === 0) { return Number(data.conversation_id); }
    if (event.indexOf("conversation.typing") === 0) { return Number(data.conversation && data.conversation.id); }
    return Number(data.id || (data.conversation && data.conversation.id) || 0);
  }

  function handle(event, data) {
    var id = conversationOf(event, data);
    if (conversation && id === displayId) {
      if (event === "message.created" || event === "message.updated") { loadNew(); showTyping("", false); }
      if (event === "conversation.typing_on") { showTyping(data.user && (data.user.name || data.user.available_name), true); }
      if (event === "conversation.typing_off") { showTyping("", false); }
    }
    if (list && event.indexOf("typing") < 0 && event.indexOf("presence") < 0 && event.indexOf("notification") < 0) {
      refreshList();
    }
  }

  // ---- the reply box ----------------------------------------------------------------------
  var reply = document.getElementById("reply");
  var box = document.getElementById("content");
  function noteMode() { return reply && reply.querySelector("input[name=private][value='1']").checked; }
  function setMode(note) {
    if (!reply) { return; }
    reply.querySelector("input[name=private][value='" + (note ? "1" : "0") + "']").checked = true;
    reply.classList.toggle("note-mode", note);
    box.placeholder = box.getAttribute(note ? "data-note-placeholder" : "data-reply-placeholder");
  }
  var typingSent = 0, idle = 0;
  function typing(status) {
    if (!base) { return; }
    post(base + "/typing", { status: status, "private": noteMode() ? "1" : "0" }).catch(function () {});
  }
  function showError(text) {
    var p = document.getElementById("form-error");
    if (!p) {
      p = document.createElement("p");
      p.id = "form-error"; p.className = "error"; p.setAttribute("role", "alert");
      reply.parentNode.insertBefore(p, reply);
    }
    p.textContent = text;
  }
  if (reply && box) {
    Array.prototype.forEach.call(reply.querySelectorAll("input[name=private]"), function (radio) {
      radio.addEventListener("change", function () { setMode(noteMode()); box.focus(); });
    });
    box.addEventListener("input", function () {
      var now = Date.now();
      if (now - typingSent > 3000) { typingSent = now; typing("on"); }
      clearTimeout(idle);
      idle = setTimeout(function () { typingSent = 0; typing("off"); }, 4000);
      canned();
    });
    reply.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!box.value.trim()) { box.focus(); return; }
      var button = reply.querySelector("button[type=submit]");
      button.disabled = true;
      var fields = { content: box.value, "private": noteMode() ? "1" : "0" };
      post(reply.action, fields).then(function (r) {
        if (r.type === "opaqueredirect" || r.ok || r.status === 303) {
          box.value = "";
          var old = document.getElementById("form-error");
          if (old) { old.remove(); }
          clearTimeout(idle); typingSent = 0; typing("off");
          return loadNew();
        }
        return r.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var error = page.getElementById("form-error") || page.querySelector(".notice h1");
          showError(error ? error.textContent : String(r.status));
        });
      }).catch(function () { reply.submit(); }).then(function () { button.disabled = false; box.focus(); });
    });
    box.addEventListener("keydown", function (event) {
      if (picker && !picker.hidden && pick(event)) { return; }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        reply.requestSubmit ? reply.requestSubmit() : reply.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
  }

  // ---- canned responses: type "/" and a short code ----------------------------------------
  var picker = document.getElementById("canned-pick");
  var responses = Array.prototype.map.call(document.querySelectorAll("#canned li"), function (li) {
    return { code: li.getAttribute("data-code"), text: li.textContent };
  });
  var choice = 0;
  function slashWord() {
    var upto = box.value.slice(0, box.selectionStart);
    var match = /(^|\s)\/(\S*)$/.exec(upto);
    return match ? { start: upto.length - match[2].length - 1, word: match[2] } : null;
  }
  function canned() {
    if (!picker || !responses.length) { return; }
    var at = slashWord();
    var found = at ? responses.filter(function (r) { return r.code.toLowerCase().indexOf(at.word.toLowerCase()) === 0; }) : [];
    picker.innerHTML = "";
    choice = 0;
    found.slice(0, 8).forEach(function (r, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === 0 ? "true" : "false");
      var code = document.createElement("strong");
      code.textContent = "/" + r.code;
      li.appendChild(code);
      li.appendChild(document.createTextNode(r.text.slice(0, 80)));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); insert(r); });
      picker.appendChild(li);
    });
    picker.hidden = !found.length;
    picker._found = found.slice(0, 8);
  }
  function insert(r) {
    var at = slashWord();
    if (!at) { return; }
    box.value = box.value.slice(0, at.start) + r.text + box.value.slice(box.selectionStart);
    picker.hidden = true;
    box.focus();
  }
  function pick(event) {
    var items = picker.children;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      items[choice].setAttribute("aria-selected", "false");
      choice = (choice + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items[choice].setAttribute("aria-selected", "true");
      return true;
    }
    if ((event.key === "Enter" && !event.ctrlKey && !event.metaKey) || event.key === "Tab") {
      event.preventDefault();
      insert(picker._found[choice]);
      return true;
    }
    if (event.key === "Escape") { picker.hidden = true; return true; }
    return false;
  }

  // ---- forms that submit on change; the snooze time zone ----------------------------------
  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosubmit] select"), function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-tz-offset]"), function (input) {
    input.value = String(new Date().getTimezoneOffset());
  });

  // ---- keyboard ---------------------------------------------------------------------------
  var overlay = document.getElementById("shortcuts");
  function rows() { return list ? Array.prototype.slice.call(list.querySelectorAll(".row")) : []; }
  function currentRow() { return list ? list.querySelector(".row.selected") : null; }
  function select(row) {
    rows().forEach(function (r) { r.classList.remove("selected"); });
    if (row) { row.classList.add("selected"); row.querySelector("a").focus({ preventScroll: true }); row.scrollIntoView({ block: "nearest" }); }
  }
  function rememberOrder() {
    if (!list) { return; }
    try {
      sessionStorage.setItem("parlor-list-" + account, JSON.stringify(rows().map(function (r) { return r.getAttribute("data-conversation"); })));
      sessionStorage.setItem("parlor-list-url-" + account, window.location.href);
    } catch (e) { /* private mode */ }
  }
  function neighbour(step) {
    var order = [];
    try { order = JSON.parse(sessionStorage.getItem("parlor-list-" + account) || "[]"); } catch (e) { order = []; }
    var at = order.indexOf(String(displayId));
    var next = at < 0 ? null : order[at + step];
    if (next) { window.location.href = conversation.querySelector(".back").getAttribute("href") + "/" + next; }
  }
  function move(step) {
    if (conversation) { neighbour(step); return; }
    var all = rows();
    if (!all.length) { return; }
    var at = all.indexOf(currentRow());
    select(all[Math.max(0, Math.min(all.length - 1, at < 0 ? 0 : at + step))]);
  }
  function toggleHelp(show) {
    if (!overlay) { return; }
    overlay.hidden = show === undefined ? !overlay.hidden : !show;
    if (!overlay.hidden) { overlay.querySelector("[data-close]").focus(); }
  }
  if (overlay) {
    overlay.querySelector("[data-close]").addEventListener("click", function () { toggleHelp(false); });
    overlay.addEventListener("click", function (e) { if (e.target === overlay) { toggleHelp(false); } });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && overlay && !overlay.hidden) { toggleHelp(false); return; }
    var target = event.target;
    var editing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (editing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "r": if (box) { setMode(false); box.focus(); } else { handled = false; } break;
      case "p": if (box) { setMode(true); box.focus(); } else { handled = false; } break;
      case "e": var resolve = document.querySelector("[data-key=resolve]"); if (resolve) { resolve.click(); } else { handled = false; } break;
      case "/": var search = document.querySelector("[data-key=search]");
        if (search) { search.focus(); } else if (conversation) { window.location.href = conversation.querySelector(".back").getAttribute("href") + "?assignee=all#q"; }
        break;
      case "?": toggleHelp(); break;
      case "Enter": case "o": var row = currentRow(); if (row) { row.querySelector("a").click(); } else { handled = false; } break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  rememberOrder();
  if (window.location.hash === "#q") { var q = document.querySelector("[data-key=search]"); if (q) { q.focus(); } }
  if (thread && thread.lastElementChild) { thread.lastElementChild.scrollIntoView({ block: "nearest" }); }
  connect();
})();
