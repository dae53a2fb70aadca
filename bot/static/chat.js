/* Huế public-service assistant: chat box. Vanilla JS, no build step.
 * Bot and user text is only ever set with textContent; links are built as <a> elements
 * for http(s) URLs only. All visible wording comes from data-* attributes in the page. */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root) { return; }
  var text = root.dataset;
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var typing = document.getElementById("chat-typing");
  var sendButton = form.querySelector("button[type=submit]");
  var SENDER_KEY = "hue-assistant-sender";
  var SENDER_PATTERN = /^[A-Za-z0-9_-]{1,60}$/;
  var URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
  var busy = false;
  var sender = senderId();

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function senderId() {
    var id = null;
    try { id = window.localStorage.getItem(SENDER_KEY); } catch (e) { /* storage blocked */ }
    if (!id || !SENDER_PATTERN.test(id)) {
      id = newId();
      try { window.localStorage.setItem(SENDER_KEY, id); } catch (e) { /* keep it for this page */ }
    }
    return id;
  }

  /* Text with clickable http(s) links, as DOM nodes (never HTML strings). */
  function withLinks(value) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    value.replace(URL_PATTERN, function (match, offset) {
      var href = match.replace(/[.,;:!?)\]]+$/, "");
      var url = null;
      try { url = new URL(href); } catch (e) { url = null; }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) { return match; }
      fragment.appendChild(document.createTextNode(value.slice(last, offset)));
      var link = document.createElement("a");
      link.href = url.href;
      link.textContent = href;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      fragment.appendChild(link);
      last = offset + href.length;
      return match;
    });
    fragment.appendChild(document.createTextNode(value.slice(last)));
    return fragment;
  }

  function addMessage(kind, body) {
    var item = document.createElement("li");
    item.className = "message " + kind;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = kind === "user" ? text.textYou : text.textBot;
    item.appendChild(who);
    if (body) {
      var paragraph = document.createElement("p");
      paragraph.className = "text";
      paragraph.appendChild(withLinks(body));
      item.appendChild(paragraph);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function addChoices(item, buttons) {
    var group = document.createElement("div");
    group.className = "choices";
    buttons.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.title;
      button.addEventListener("click", function () { send(choice.payload, choice.title); });
      group.appendChild(button);
    });
    item.appendChild(group);
  }

  function addFeedback(item, rated) {
    var box = document.createElement("div");
    box.className = "feedback";
    var question = document.createElement("span");
    question.textContent = text.textHelpful;
    box.appendChild(question);
    [[true, text.textYes], [false, text.textNo]].forEach(function (option) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = option[1];
      button.addEventListener("click", function () {
        post(text.feedbackApi, { sender: sender, message: rated, helpful: option[0] }).catch(function () {});
        box.textContent = text.textThanks;
      });
      box.appendChild(button);
    });
    item.appendChild(box);
  }

  function showError(message) {
    var item = addMessage("bot error", message || text.textError);
    item.setAttribute("role", "alert");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.disabled = value;
    Array.prototype.forEach.call(log.querySelectorAll(".choices button"), function (button) {
      button.disabled = value;
    });
  }

  function send(message, shown) {
    if (busy || !message.trim()) { return; }
    addMessage("user", shown);
    setBusy(true);
    post(text.api, { sender: sender, message: message })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok || !Array.isArray(data.messages)) {
            showError(data.error);
            return;
          }
          data.messages.forEach(function (reply) {
            var item = addMessage("bot", reply.text);
            if (reply.buttons && reply.buttons.length) { addChoices(item, reply.buttons); }
            if (reply.text) { addFeedback(item, reply.text); }
          });
        });
      })
      .catch(function () { showError(); })
      .then(function () {
        setBusy(false);
        input.focus();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = input.value;
    if (busy || !message.trim()) { return; }
    input.value = "";
    send(message, message.trim());
  });

  input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter is a new line; never interrupt an IME composing Vietnamese.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  addMessage("bot", text.textWelcome);
})();
