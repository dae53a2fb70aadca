/* Huế public-service assistant: the embeddable chat widget. Plain JS, no build step.
 *
 * Embed:  <script src="https://<gateway>/widget.js" defer></script>
 *   data-lang="vi|en"      first interface language (default: the page's <html lang>, else Vietnamese)
 *   data-mode="page"       the chat fills the element data-target (the gateway's /chat) instead of a
 *                          launcher button with a panel
 *
 * Everything is drawn inside a shadow root, so the host page's styles and ours do not mix. All text from the
 * server or the citizen is put in the page as text nodes (textContent / createTextNode), never parsed as HTML;
 * links are <a> elements for http(s) URLs only. Interface wording comes from GET /api/widget (bot/gateway/messages.yml).
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[src$='/widget.js']");
  if (!script || window.__hueAssistant) { return; }
  window.__hueAssistant = true;

  var GATEWAY = new URL(script.src, document.baseURI).origin;
  var MODE = script.getAttribute("data-mode") === "page" ? "page" : "launcher";
  var STORE_KEY = "hue-assistant@" + GATEWAY;
  var SENDER_PATTERN = /^[A-Za-z0-9_-]{1,60}$/;
  var REQUEST_TIMEOUT_MS = 45000;
  // How much of a rated answer is sent with 👍/👎 (the gateway keeps the first 2,000 characters).
  var RATED_CHARS = 4000;
  var INLINE = /\*\*([^*\n]+)\*\*|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"'\u201c\u201d]+)/g;
  var BULLET = /^[\u2022\u25aa\u25e6\-*+]\s+(.*)$/;
  var NUMBERED = /^(\d{1,2})[.)]\s+(.*)$/;
  var STEP = /^((?:B\u01b0\u1edbc|Step)\s+\d+\s*\/\s*\d+\s*[:.]?)(.*)$/;

  var config = null;
  var texts = null;
  var ui = {};
  var state = load();

  /* ---------------------------------------------------------------- storage and ids */

  function load() {
    var saved = {};
    var open = false;
    try { saved = JSON.parse(window.localStorage.getItem(STORE_KEY) || "{}") || {}; } catch (e) { saved = {}; }
    try { open = window.sessionStorage.getItem(STORE_KEY) === "open"; } catch (e) { open = false; }
    return {
      sender: SENDER_PATTERN.test(saved.sender || "") ? saved.sender : "",
      last: typeof saved.last === "number" ? saved.last : 0,
      lang: saved.lang === "en" || saved.lang === "vi" ? saved.lang : initialLanguage(),
      size: saved.size === 1 || saved.size === 2 ? saved.size : 0,
      open: open,  // per tab: a reload keeps the panel open, a new tab starts with it closed
      busy: false,
      pending: null,
      loaded: false,
      started: false
    };
  }

  function save() {
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify({
        sender: state.sender, last: state.last, lang: state.lang, size: state.size
      }));
      window.sessionStorage.setItem(STORE_KEY, state.open ? "open" : "closed");
    } catch (e) { /* storage blocked: this page keeps its state in memory */ }
  }

  function initialLanguage() {
    var wanted = script.getAttribute("data-lang") || document.documentElement.lang || "vi";
    return wanted.toLowerCase().indexOf("en") === 0 ? "en" : "vi";
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function idle() {
    return state.last && Date.now() - state.last > config.idle_minutes * 60000;
  }

  function ensureSender() {
    if (!state.sender || idle()) {
      state.sender = newId();
      state.last = Date.now();
      save();
      return true;
    }
    return false;
  }

  /* ---------------------------------------------------------------- small DOM helpers */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function button(className, text, onClick) {
    var node = el("button", className, text);
    node.type = "button";
    if (onClick) { node.addEventListener("click", onClick); }
    return node;
  }

  function hiddenText(text) { return el("span", "visually-hidden", text); }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function api(name) { return new URL(config.api[name], GATEWAY).href; }

  function request(url, body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    return fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data || {} };
      });
    }).finally(function () { if (timer) { clearTimeout(timer); } });
  }

  /* ---------------------------------------------------------------- formatting bot text */

  function linkName(url) {
    var links = config.links || [];
    for (var i = 0; i < links.length; i++) {
      var known;
      try { known = new URL(links[i].url); } catch (e) { continue; }
      var path = known.pathname.replace(/\/$/, "");
      if (url.host === known.host && (url.pathname + "/").indexOf(path + "/") === 0) {
        return links[i].name[state.lang] || links[i].name.vi;
      }
    }
    return url.host;
  }

  function link(href, name) {
    var url;
    try { url = new URL(href); } catch (e) { return null; }
    if (url.protocol !== "http:" && url.protocol !== "https:") { return null; }
    var anchor = el("a", null, name || linkName(url));
    anchor.href = url.href;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    anchor.appendChild(hiddenText(" " + texts.new_tab));
    return anchor;
  }

  /* Plain text, with the hotline numbers as tel: links (one tap on a phone). */
  function appendText(parent, value) {
    var numbers = [config.hotlines.city, config.hotlines.national].filter(function (n) {
      return /^[0-9]{3,15}$/.test(n);
    });
    if (!numbers.length) { parent.appendChild(document.createTextNode(value)); return; }
    var pattern = new RegExp("(^|[^0-9])(" + numbers.join("|") + ")(?![0-9])", "g");
    var last = 0;
    value.replace(pattern, function (whole, before, number, offset) {
      var start = offset + before.length;
      parent.appendChild(document.createTextNode(value.slice(last, start)));
      var tel = el("a", null, number);
      tel.href = "tel:" + number;
      parent.appendChild(tel);
      last = start + number.length;
      return whole;
    });
    parent.appendChild(document.createTextNode(value.slice(last)));
  }

  /* **bold**, [name](url) and bare URLs, as DOM nodes. */
  function appendInline(parent, value) {
    var last = 0;
    value.replace(INLINE, function (whole, bold, name, namedUrl, bareUrl, offset) {
      var node = null;
      var used = whole;
      if (bold !== undefined) {
        node = el("strong", null, bold);
      } else if (namedUrl !== undefined) {
        node = link(namedUrl, name);
      } else {
        used = bareUrl.replace(/[.,;:!?)\]]+$/, "");
        node = link(used);
      }
      if (!node) { return whole; }
      appendText(parent, value.slice(last, offset));
      parent.appendChild(node);
      last = offset + used.length;
      return whole;
    });
    appendText(parent, value.slice(last));
  }

  /* Lines starting with •, -, * or + become a list; "1." lines a numbered list; a line that ends with ":"
   * before a list, and "Bước 3/8", are bold. */
  function formatted(value) {
    var fragment = document.createDocumentFragment();
    var lines = String(value).split(/\r?\n/);
    var list = null;
    lines.forEach(function (line, index) {
      var trimmed = line.trim();
      var bullet = BULLET.exec(trimmed);
      var numbered = bullet ? null : NUMBERED.exec(trimmed);
      if (bullet || numbered) {
        var kind = bullet ? "UL" : "OL";
        if (!list || list.nodeName !== kind) {
          list = document.createElement(kind);
          fragment.appendChild(list);
        }
        var item = el("li");
        if (numbered) { item.value = Number(numbered[1]); }
        appendInline(item, bullet ? bullet[1] : numbered[2]);
        list.appendChild(item);
        return;
      }
      list = null;
      if (!trimmed) { return; }
      var paragraph = el("p");
      var next = (lines[index + 1] || "").trim();
      var step = STEP.exec(trimmed);
      if (/:$/.test(trimmed) && (BULLET.test(next) || NUMBERED.test(next))) {
        var strong = el("strong");
        appendInline(strong, trimmed);
        paragraph.appendChild(strong);
      } else if (step) {
        paragraph.appendChild(el("strong", null, step[1]));
        appendInline(paragraph, step[2]);
      } else {
        appendInline(paragraph, trimmed);
      }
      fragment.appendChild(paragraph);
    });
    return fragment;
  }

  /* ---------------------------------------------------------------- the conversation */

  function scrollToStart(node) {
    ui.log.scrollTop = Math.max(0, node.offsetTop - 8);
  }

  function scrollToEnd() { ui.log.scrollTop = ui.log.scrollHeight; }

  function addMessage(kind, who) {
    var item = el("div", "message " + kind);
    item.appendChild(hiddenText(who + " "));
    ui.log.appendChild(item);
    return item;
  }

  function addUser(text, chose) {
    var item = addMessage("user", texts.you);
    item.appendChild(el("p", "text", text || texts.chose));
    if (chose) { item.className += " chose"; }
    return item;
  }

  function addChoices(item, choices, starters) {
    var group = el("div", "choices");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", starters ? texts.starters_label : texts.choices_label);
    choices.forEach(function (choice) {
      var title = choice.title || texts[choice.text_key] || "";
      var node = button("choice", title, function () {
        if (!node.disabled) { send(choice.payload, title, { button: node }); }
      });
      if (starters && choice.title) { node.lang = "vi"; }  // procedure names are Vietnamese
      group.appendChild(node);
    });
    item.appendChild(group);
  }

  function addBot(reply) {
    var item = addMessage("bot", texts.bot);
    if (reply.text) {
      var body = el("div", "text");
      body.appendChild(formatted(reply.text));
      item.appendChild(body);
    }
    if (reply.buttons && reply.buttons.length) { addChoices(item, reply.buttons, false); }
    if (reply.text) { addFeedback(item, reply.text); }
    return item;
  }

  function addWelcome() {
    var item = addMessage("bot welcome", texts.bot);
    var body = el("div", "text");
    body.appendChild(formatted(texts.welcome));
    item.appendChild(body);
    addChoices(item, config.starters || [], true);
    return item;
  }

  function addStaff() {
    var item = addMessage("staff", texts.bot);
    item.appendChild(el("p", null, texts.staff_intro));
    var list = el("ul");
    var lines = [[texts.staff_city, config.hotlines.city], [texts.staff_national, config.hotlines.national]];
    lines.forEach(function (line) {
      var entry = el("li", null, line[0] + ": ");
      var tel = el("a", null, line[1]);
      tel.href = "tel:" + line[1];
      entry.appendChild(tel);
      list.appendChild(entry);
    });
    item.appendChild(list);
    item.appendChild(el("p", null, fill(texts.staff_hours, { hours: config.hotlines.hours[state.lang] })));
    scrollToStart(item);
  }

  /* Buttons of earlier answers: disabled once a message is sent (the pressed one marked). Returns those that
   * were active, to give them back if the message does not go through. */
  function retireChoices(pressed) {
    var active = Array.prototype.filter.call(ui.log.querySelectorAll(".choice"), function (node) {
      return !node.disabled;
    });
    active.forEach(function (node) { node.disabled = true; });
    if (pressed) {
      pressed.className += " chosen";
      pressed.setAttribute("aria-pressed", "true");
    }
    return active;
  }

  function restoreChoices(nodes, pressed) {
    nodes.forEach(function (node) { node.disabled = false; });
    if (pressed) {
      pressed.className = pressed.className.replace(/\s*chosen/g, "");
      pressed.removeAttribute("aria-pressed");
    }
  }

  function setBusy(busy) {
    state.busy = busy;
    ui.status.textContent = busy ? texts.typing : "";
  }

  function showAlert(message, retry) {
    clearAlert();
    ui.alert.appendChild(el("p", null, message));
    if (retry) { ui.alert.appendChild(button("retry", texts.retry, retry)); }
  }

  function clearAlert() {
    while (ui.alert.firstChild) { ui.alert.removeChild(ui.alert.firstChild); }
  }

  /* One message to the bot. A message that did not go through keeps its client id: sent again (by "Thử lại",
   * or typed again unchanged) the gateway answers it once. */
  function send(message, shown, options) {
    if (state.busy || !message) { return; }
    var focused = ui.root.activeElement;
    if (ensureSender()) { clearConversation(); }
    var pending = state.pending && state.pending.message === message ? state.pending : null;
    state.pending = pending || { id: newId(), message: message, shown: shown, options: options };
    clearAlert();
    var retired = retireChoices(options.button);
    if (options.button && focused === options.button) { ui.input.focus(); }
    var bubble = addUser(shown, !!options.button);
    scrollToEnd();
    setBusy(true);
    state.last = Date.now();
    save();
    request(api("chat"), {
      sender: state.sender, message: message, client_id: state.pending.id, language: state.lang
    }).then(function (answer) {
      if (answer.ok && Array.isArray(answer.data.messages)) {
        state.pending = null;
        var first = null;
        answer.data.messages.forEach(function (reply) {
          var item = addBot(reply);
          first = first || item;
        });
        if (first) { scrollToStart(first); }
        return;
      }
      var code = answer.data.code;
      if (answer.status === 503 || answer.status >= 500) {
        failed(bubble, retired, options, texts.error_unavailable, true);
      } else if (code === "too_long") {
        var tooLong = fill(texts.error_too_long, { count: message.length, max: config.max_message_chars });
        failed(bubble, retired, options, tooLong, false);
      } else {
        failed(bubble, retired, options, texts.error_other, false);
      }
    }, function () {
      failed(bubble, retired, options, texts.error_network, true);
    }).then(function () { setBusy(false); });
  }

  function failed(bubble, retired, options, message, retryable) {
    if (bubble.parentNode) { bubble.parentNode.removeChild(bubble); }
    restoreChoices(retired, options.button);
    var pending = state.pending;
    if (!retryable) { state.pending = null; }
    if (options.typed && !ui.input.value) {
      ui.input.value = options.typed;  // what the citizen typed is never lost
      updateCounter();
    }
    showAlert(message, retryable && pending ? function () {
      send(pending.message, pending.shown, pending.options);
      ui.input.focus();
      if (pending.options.typed && ui.input.value === pending.options.typed) {
        ui.input.value = "";
        updateCounter();
      }
    } : null);
  }

  function clearConversation() {
    while (ui.log.firstChild) { ui.log.removeChild(ui.log.firstChild); }
    state.pending = null;
    state.started = false;
    clearAlert();
  }

  function newConversation() {
    state.sender = "";
    ensureSender();
    clearConversation();
    addWelcome();
    state.loaded = true;
    ui.input.value = "";
    updateCounter();
    ui.input.focus();
  }

  /* After a reload or in a new tab: the conversation so far, from the server. Drawn without announcing it. */
  function loadHistory() {
    if (state.loaded) { return; }
    state.loaded = true;
    if (ensureSender()) {
      addWelcome();
      return;
    }
    request(api("history"), { sender: state.sender }).then(function (answer) {
      var messages = answer.ok && Array.isArray(answer.data.messages) ? answer.data.messages : [];
      if (!answer.ok) { showAlert(texts.history_error, null); }
      drawHistory(messages);
    }, function () {
      showAlert(texts.history_error, null);
      drawHistory([]);
    });
  }

  function drawHistory(messages) {
    ui.log.setAttribute("aria-live", "off");
    clearConversation();
    if (!messages.length) {
      addWelcome();
    } else {
      var newest = null;
      messages.forEach(function (message) {
        if (message.from === "user") {
          addUser(message.text, message.choice);
          retireChoices(null);
          newest = null;
        } else {
          var item = addBot(message);
          newest = newest || item;
        }
      });
      state.started = true;
      if (newest) { scrollToStart(newest); } else { scrollToEnd(); }
    }
    setTimeout(function () { ui.log.setAttribute("aria-live", "polite"); }, 0);
  }

  /* ---------------------------------------------------------------- 👍 / 👎 */

  function addFeedback(item, rated) {
    var sender = state.sender;
    var box = el("div", "feedback");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", texts.helpful);
    [[true, "\ud83d\udc4d", texts.helpful_yes], [false, "\ud83d\udc4e", texts.helpful_no]].forEach(function (option) {
      var node = button("rate", null, function () { rate(box, sender, rated, option[0]); });
      var icon = el("span", null, option[1]);
      icon.setAttribute("aria-hidden", "true");
      node.appendChild(icon);
      node.appendChild(document.createTextNode(" " + option[2]));
      box.appendChild(node);
    });
    item.appendChild(box);
  }

  function replaceWith(box, node) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    box.appendChild(node);
  }

  function note(text) {
    var node = el("p", "note", text);
    node.tabIndex = -1;
    return node;
  }

  function rate(box, sender, rated, helpful) {
    Array.prototype.forEach.call(box.querySelectorAll("button"), function (node) { node.disabled = true; });
    request(api("feedback"), { sender: sender, message: rated.slice(0, RATED_CHARS), helpful: helpful })
      .then(function (answer) {
        if (!answer.ok) { throw new Error("feedback " + answer.status); }
        if (helpful) {
          var thanks = note(texts.thanks);
          replaceWith(box, thanks);
          thanks.focus();
        } else {
          commentForm(box, sender, answer.data.id);
        }
      })
      .catch(function () {
        Array.prototype.forEach.call(box.querySelectorAll("button"), function (node) { node.disabled = false; });
        var error = box.querySelector(".note") || box.appendChild(note(""));
        error.textContent = texts.feedback_error;
      });
  }

  function commentForm(box, sender, feedbackId) {
    var form = el("form", "comment");
    var id = "hue-comment-" + newId();
    form.appendChild(el("p", "note", texts.thanks));
    var label = el("label", null, texts.comment_label);
    label.htmlFor = id;
    var area = el("textarea");
    area.id = id;
    area.rows = 2;
    form.appendChild(label);
    form.appendChild(area);
    var submit = el("button", "send-comment", texts.comment_send);
    submit.type = "submit";
    form.appendChild(submit);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var comment = area.value.trim();
      if (!comment) { area.focus(); return; }
      submit.disabled = true;
      var body = { sender: sender, id: feedbackId, comment: comment.slice(0, config.max_message_chars) };
      request(api("feedback_comment"), body)
        .then(function (answer) {
          if (!answer.ok) { throw new Error("comment " + answer.status); }
          var thanks = note(texts.comment_thanks);
          replaceWith(box, thanks);
          thanks.focus();
        })
        .catch(function () {
          submit.disabled = false;
          form.querySelector(".note").textContent = texts.feedback_error;
        });
    });
    replaceWith(box, form);
    area.focus();
  }

  /* ---------------------------------------------------------------- the composer */

  function updateCounter() {
    var count = ui.input.value.length;
    var max = config.max_message_chars;
    ui.counter.hidden = count < max * 0.8;
    ui.counter.textContent = fill(texts.counter, { count: count, max: max });
    ui.counter.className = count > max ? "counter over" : "counter";
    if (count > max) {
      ui.input.setAttribute("aria-invalid", "true");
    } else {
      ui.input.removeAttribute("aria-invalid");
    }
  }

  function submitTyped() {
    var typed = ui.input.value;
    var message = typed.trim();
    if (!message || state.busy) { return; }
    if (message.length > config.max_message_chars) {
      showAlert(fill(texts.error_too_long, { count: message.length, max: config.max_message_chars }), null);
      return;
    }
    ui.input.value = "";
    updateCounter();
    send(message, message, { typed: typed });
  }

  /* ---------------------------------------------------------------- language, text size, panel */

  function applyTexts() {
    texts = config.texts[state.lang];
    ui.widget.lang = state.lang;
    ui.widget.className = "hue-widget mode-" + MODE + " size-" + state.size + (state.open ? " open" : "");
    if (ui.launcher) {
      ui.launcherText.textContent = texts.launcher;
      ui.close.setAttribute("aria-label", texts.close);
    }
    ui.title.textContent = texts.title;
    ui.staff.textContent = texts.staff;
    ui.renew.textContent = texts.new_conversation;
    ui.language.textContent = texts.language_button;
    ui.language.lang = texts.language_button_lang;
    ui.language.setAttribute("aria-label", texts.language_label);
    ui.size.textContent = fill(texts.text_size, { size: texts.sizes.split("|")[state.size] });
    ui.log.setAttribute("aria-label", texts.log_label);
    ui.label.textContent = texts.input_label;
    ui.help.textContent = texts.input_help;
    ui.send.textContent = texts.send;
    if (state.busy) { ui.status.textContent = texts.typing; }
    updateCounter();
  }

  function switchLanguage() {
    state.lang = state.lang === "vi" ? "en" : "vi";
    save();
    applyTexts();
    var welcome = ui.log.querySelector(".welcome");
    if (welcome && !ui.log.querySelector(".user")) {  // nothing asked yet: greet again in the new language
      ui.log.setAttribute("aria-live", "off");
      clearConversation();
      addWelcome();
      setTimeout(function () { ui.log.setAttribute("aria-live", "polite"); }, 0);
    }
  }

  function cycleSize() {
    state.size = (state.size + 1) % 3;
    save();
    applyTexts();
  }

  function open(focus) {
    state.open = true;
    save();
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    applyTexts();
    loadHistory();
    if (focus !== false) { ui.input.focus(); }
  }

  function close() {
    state.open = false;
    save();
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    applyTexts();
    ui.launcher.focus();
  }

  /* ---------------------------------------------------------------- building it */

  /* The launcher's icon, drawn (an emoji font is not on every phone). */
  function speechBubble() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "launcher-icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z" +
      "m3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z");
    path.setAttribute("fill-rule", "evenodd");
    svg.appendChild(path);
    return svg;
  }

  function build(host) {
    var shadow = host.attachShadow({ mode: "open" });
    ui.root = shadow;
    var stylesheet = el("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = new URL(config.stylesheet, GATEWAY).href;
    shadow.appendChild(stylesheet);

    var widget = ui.widget = el("div");
    widget.hidden = true;  // until its stylesheet is there
    var shown = false;
    function show() {
      if (shown) { return; }
      shown = true;
      widget.hidden = false;
      if (MODE === "page") {
        loadHistory();
      } else if (state.open && !idle()) {
        open(false);  // it was open before the reload
      } else {
        state.open = false;
      }
    }
    stylesheet.addEventListener("load", show);
    stylesheet.addEventListener("error", show);

    if (MODE === "launcher") {
      ui.launcher = button("launcher", null, function () { if (state.open) { close(); } else { open(true); } });
      ui.launcher.setAttribute("aria-controls", "hue-panel");
      ui.launcher.setAttribute("aria-expanded", "false");
      ui.launcher.appendChild(speechBubble());
      ui.launcherText = ui.launcher.appendChild(el("span", "launcher-text"));
      widget.appendChild(ui.launcher);
    }

    var panel = ui.panel = el("section", "panel");
    panel.id = "hue-panel";
    panel.setAttribute("aria-labelledby", "hue-title");
    if (MODE === "launcher") {
      panel.setAttribute("role", "dialog");
      panel.hidden = true;
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); close(); }
      });
    }

    var header = el("header", "panel-header");
    ui.title = el("h2", "title");
    ui.title.id = "hue-title";
    header.appendChild(ui.title);
    if (MODE === "launcher") {
      ui.close = button("close", null, close);
      var cross = el("span", null, "\u00d7");
      cross.setAttribute("aria-hidden", "true");
      ui.close.appendChild(cross);
      header.appendChild(ui.close);
    }
    var tools = el("div", "tools");
    ui.staff = tools.appendChild(button("tool staff", null, addStaff));
    ui.renew = tools.appendChild(button("tool renew", null, newConversation));
    ui.language = tools.appendChild(button("tool language", null, switchLanguage));
    ui.size = tools.appendChild(button("tool size", null, cycleSize));
    header.appendChild(tools);
    panel.appendChild(header);

    ui.log = el("div", "log");
    ui.log.setAttribute("role", "log");
    ui.log.setAttribute("aria-live", "polite");
    ui.log.setAttribute("aria-relevant", "additions");
    ui.log.tabIndex = 0;  // scrollable by keyboard
    panel.appendChild(ui.log);

    ui.status = el("p", "status");
    ui.status.setAttribute("role", "status");
    panel.appendChild(ui.status);
    ui.alert = el("div", "alert");
    ui.alert.setAttribute("role", "alert");
    panel.appendChild(ui.alert);

    var form = el("form", "composer");
    form.setAttribute("novalidate", "");
    ui.label = el("label");
    ui.label.htmlFor = "hue-input";
    form.appendChild(ui.label);
    var row = el("div", "row");
    ui.input = el("textarea");
    ui.input.id = "hue-input";
    ui.input.rows = 2;
    ui.input.setAttribute("aria-describedby", "hue-counter hue-help");
    ui.input.setAttribute("autocomplete", "off");
    ui.input.addEventListener("input", updateCounter);
    ui.input.addEventListener("keydown", function (event) {
      // Enter sends; Shift+Enter is a new line; never interrupt an IME composing Vietnamese.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submitTyped();
      }
    });
    row.appendChild(ui.input);
    ui.send = el("button", "send");
    ui.send.type = "submit";
    row.appendChild(ui.send);
    form.appendChild(row);
    ui.counter = el("p", "counter");
    ui.counter.id = "hue-counter";
    form.appendChild(ui.counter);
    ui.help = el("p", "help");
    ui.help.id = "hue-help";
    form.appendChild(ui.help);
    form.addEventListener("submit", function (event) { event.preventDefault(); submitTyped(); });
    panel.appendChild(form);

    widget.appendChild(panel);
    shadow.appendChild(widget);
    applyTexts();

    // A browser left idle (a shared computer) starts fresh for the next person.
    setInterval(function () {
      if (state.loaded && idle() && !state.busy) {
        state.sender = "";
        ensureSender();
        clearConversation();
        addWelcome();
      }
    }, 60000);
  }

  function mount() {
    var host;
    if (MODE === "page") {
      host = document.getElementById(script.getAttribute("data-target") || "") || document.body;
      while (host.firstChild) { host.removeChild(host.firstChild); }
      host.className += " hue-assistant-page";
    } else {
      host = el("div");
      host.id = "hue-assistant";
      document.body.appendChild(host);
    }
    build(host);
  }

  request(new URL("/api/widget", GATEWAY).href).then(function (answer) {
    if (!answer.ok || !answer.data.texts) { throw new Error("widget config " + answer.status); }
    config = answer.data;
    texts = config.texts[state.lang];
    if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
  }).catch(function (error) {
    if (window.console) { window.console.warn("Huế assistant: the chat could not start:", error); }
  });
})();
