// Parlor's website widget loader: what Chatwoot's embed snippet expects at /packs/js/sdk.js.
// window.chatwootSDK.run({websiteToken, baseUrl}) reads window.chatwootSettings, adds the
// bubble and the iframe (/widget), and defines window.$chatwoot; the page in the iframe talks
// back with postMessage ("chatwoot-widget:" + JSON). No framework, no build step.
(function () {
  "use strict";
  if (window.chatwootSDK && window.chatwootSDK.parlor) return;
  var PREFIX = "chatwoot-widget:";
  var SVG = "http://www.w3.org/2000/svg";

  function icon(path) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "26");
    svg.setAttribute("height", "26");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(SVG, "path");
    p.setAttribute("d", path);
    p.setAttribute("fill", "currentColor");
    svg.appendChild(p);
    return svg;
  }
  var CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z";
  var CLOSE = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z";

  function readCookie(name) {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function writeCookie(name, value, baseDomain) {
    var expires = new Date(Date.now() + 365 * 864e5).toUTCString();
    var domain = baseDomain ? "; domain=" + baseDomain : "";
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = name + "=" + encodeURIComponent(value) + "; expires=" + expires + "; path=/; SameSite=Lax" + domain + secure;
  }

  function emit(name, detail) {
    window.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function run(options) {
    if (window.$chatwoot && window.$chatwoot.hasLoaded !== undefined) return;
    options = options || {};
    var settings = window.chatwootSettings || {};
    var baseUrl = String(options.baseUrl || "").replace(/\/+$/, "");
    var websiteToken = String(options.websiteToken || "");
    var position = settings.position === "left" ? "left" : "right";
    var type = settings.type === "expanded_bubble" ? "expanded_bubble" : "standard";
    var launcherTitle = settings.launcherTitle || "Chat with us";
    var locale = settings.locale || (settings.useBrowserLanguage ? (navigator.language || "").replace("-", "_") : "");
    var darkMode = settings.darkMode === "auto" ? "auto" : "light";
    var queue = [];
    var frame, holder, bubble, label, loaded = false;

    function frameUrl(token) {
      var url = baseUrl + "/widget?website_token=" + encodeURIComponent(websiteToken);
      if (token) url += "&cw_conversation=" + encodeURIComponent(token);
      if (locale) url += "&locale=" + encodeURIComponent(locale);
      return url + "&dark_mode=" + darkMode;
    }

    function post(event, data) {
      var message = { event: event };
      for (var key in data || {}) message[key] = data[key];
      if (!loaded) { queue.push(message); return; }
      frame.contentWindow.postMessage(PREFIX + JSON.stringify(message), baseUrl || "*");
    }

    var api = {
      parlor: true,
      hasLoaded: false,
      isOpen: false,
      baseUrl: baseUrl,
      websiteToken: websiteToken,
      position: position,
      type: type,
      launcherTitle: launcherTitle,
      locale: locale,
      darkMode: darkMode,
      hideMessageBubble: !!settings.hideMessageBubble,
      showPopoutButton: !!settings.showPopoutButton,
      widgetStyle: settings.widgetStyle || "standard",
      toggle: function (state) {
        var open = state === "open" ? true : state === "close" ? false : !api.isOpen;
        if (open === api.isOpen) return;
        api.isOpen = open;
        holder.classList.toggle("parlor-widget--open", open);
        holder.setAttribute("aria-hidden", open ? "false" : "true");
        bubble.setAttribute("aria-expanded", open ? "true" : "false");
        bubble.classList.toggle("parlor-bubble--open", open);
        bubble.replaceChild(icon(open ? CLOSE : CHAT), bubble.firstChild);
        if (open) {
          post("widget-visible", { isOpen: true });
          post("toggle-open", { isOpen: true });
          setTimeout(function () { frame.focus(); }, 50);
          emit("chatwoot:opened");
        } else {
          post("toggle-open", { isOpen: false });
          bubble.focus();
          emit("chatwoot:closed");
        }
      },
      toggleBubbleVisibility: function (visibility) {
        var hide = visibility === "hide" ? true : visibility === "show" ? false : !bubble.hidden;
        bubble.hidden = hide;
      },
      popoutChatWindow: function () {
        window.open(frameUrl(readCookie("cw_conversation")), "webwidget", "resizable=off,width=400,height=600");
        api.toggle("close");
      },
      setUser: function (identifier, user) {
        if (typeof identifier !== "string" && typeof identifier !== "number") throw new Error("Identifier should be a string or a number");
        post("set-user", { identifier: String(identifier), user: user || {} });
      },
      setCustomAttributes: function (attributes) {
        if (!attributes || typeof attributes !== "object") throw new Error("Custom attributes should be an object");
        post("set-custom-attributes", { customAttributes: attributes });
      },
      deleteCustomAttribute: function (key) { post("delete-custom-attribute", { customAttribute: key }); },
      setConversationCustomAttributes: function (attributes) {
        if (!attributes || typeof attributes !== "object") throw new Error("Custom attributes should be an object");
        post("set-conversation-custom-attributes", { customAttributes: attributes });
      },
      deleteConversationCustomAttribute: function (key) { post("delete-conversation-custom-attribute", { customAttribute: key }); },
      setLabel: function (labelName) { post("set-label", { label: labelName }); },
      removeLabel: function (labelName) { post("remove-label", { label: labelName }); },
      setLocale: function (value) { locale = value || "en"; api.locale = locale; post("set-locale", { locale: locale }); },
      setColorScheme: function (value) { darkMode = value === "auto" ? "auto" : "light"; api.darkMode = darkMode; post("set-color-scheme", { darkMode: darkMode }); },
      reset: function () {
        if (api.isOpen) api.toggle("close");
        writeCookie("cw_conversation", "", settings.baseDomain);
        document.cookie = "cw_conversation=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
        loaded = false;
        frame.src = frameUrl("");
      }
    };
    window.$chatwoot = api;

    function onMessage(e) {
      if (e.source !== frame.contentWindow || typeof e.data !== "string" || e.data.indexOf(PREFIX) !== 0) return;
      var msg;
      try { msg = JSON.parse(e.data.slice(PREFIX.length)); } catch (err) { return; }
      switch (msg.event) {
        case "loaded":
          var config = msg.config || {};
          if (config.authToken) writeCookie("cw_conversation", config.authToken, settings.baseDomain);
          var channel = config.channelConfig || {};
          if (channel.widgetColor) bubble.style.backgroundColor = channel.widgetColor;
          loaded = true;
          post("config-set", { locale: locale, position: position, showPopoutButton: api.showPopoutButton, darkMode: darkMode });
          queue.splice(0).forEach(function (m) { frame.contentWindow.postMessage(PREFIX + JSON.stringify(m), baseUrl || "*"); });
          if (api.isOpen) post("widget-visible", { isOpen: true });
          if (!api.hasLoaded) { api.hasLoaded = true; emit("chatwoot:ready"); }
          break;
        case "setAuthCookie":
          if (msg.data && msg.data.widgetAuthToken) writeCookie("cw_conversation", msg.data.widgetAuthToken, settings.baseDomain);
          break;
        case "closeWindow":
        case "closeChat":
          api.toggle("close");
          break;
        case "toggleBubble":
          api.toggle();
          break;
        case "popoutChatWindow":
          api.popoutChatWindow();
          break;
        case "onEvent":
          if (msg.eventIdentifier) emit(msg.eventIdentifier, msg.data);
          if (msg.eventIdentifier === "chatwoot:on-message" && !api.isOpen) bubble.classList.add("parlor-bubble--unread");
          break;
        case "error":
          emit("chatwoot:error", msg);
          break;
      }
    }
    window.addEventListener("message", onMessage);

    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = baseUrl + "/static/sdk.css";
    document.head.appendChild(css);

    holder = document.createElement("div");
    holder.id = "cw-widget-holder";
    holder.className = "parlor-widget parlor-widget--" + position;
    holder.setAttribute("aria-hidden", "true");
    frame = document.createElement("iframe");
    frame.id = "chatwoot_live_chat_widget";
    frame.title = launcherTitle;
    frame.setAttribute("allow", "clipboard-write");
    frame.src = frameUrl(readCookie("cw_conversation"));
    holder.appendChild(frame);

    bubble = document.createElement("button");
    bubble.type = "button";
    bubble.className = "parlor-bubble parlor-bubble--" + position + (type === "expanded_bubble" ? " parlor-bubble--expanded" : "");
    bubble.setAttribute("aria-label", launcherTitle);
    bubble.setAttribute("aria-controls", holder.id);
    bubble.setAttribute("aria-expanded", "false");
    bubble.appendChild(icon(CHAT));
    if (type === "expanded_bubble") {
      label = document.createElement("span");
      label.className = "parlor-bubble__label";
      label.textContent = launcherTitle;
      bubble.appendChild(label);
    }
    bubble.hidden = api.hideMessageBubble;
    bubble.addEventListener("click", function () {
      bubble.classList.remove("parlor-bubble--unread");
      api.toggle();
    });
    document.body.appendChild(holder);
    document.body.appendChild(bubble);
  }

  window.chatwootSDK = { run: run, parlor: true };
})();
