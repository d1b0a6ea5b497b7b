/*
 * Help Scout Beacon 2 stand-in, served by the sandbox at <sandbox>/beacon/.
 *
 * Load it in place of https://beacon-v2.helpscout.net (HELPSCOUT["BEACON_SCRIPT_URL"]) to
 * see and test what a page asks of Beacon, offline. It implements the documented
 * `window.Beacon(method, ...)` calls products make, replays the loader's queue in order,
 * and renders a small widget (Answers, article view, Ask, Previous messages) that talks
 * only to the sandbox that served it. Not Help Scout's code and not its look.
 *
 * Secure mode is checked by the sandbox (it knows the Beacon's secret key); when a visitor
 * is not verified the console says why, previous messages stay hidden.
 * Everything the page or the sandbox supplies is rendered with textContent: a hostile name
 * or article never becomes markup.
 *
 * window.HelpScoutBeaconSandbox.state() is the test hook (see docs/sandbox.md).
 */
(function (window, document) {
  "use strict";

  var PREFIX = "[Beacon sandbox]";
  var MAX_SUGGESTIONS = 5; // Beacon's documented limit for suggest
  var EVENTS = ["ready", "open", "close", "message-sent", "article-viewed", "search"];
  var script = document.currentScript;
  var base = script && script.src ? new URL(".", script.src).href : "/beacon/";
  var api = base + "api/";

  var queued = window.Beacon && window.Beacon.readyQueue ? window.Beacon.readyQueue : [];

  var state = freshState();
  var listeners = {};
  var ui = null;
  var sessionSeq = 0;
  var searchSeq = 0;

  function freshState() {
    return {
      initialized: false,
      beaconId: null,
      identity: null,
      identityVerified: false,
      verificationReason: "no identify call",
      prefill: {},
      suggestions: [],
      config: {},
      sessionData: {},
      open: false,
      route: "/",
      events: [],
      calls: [],
      previousMessages: [],
      search: { query: "", results: [] },
    };
  }

  function copy(value) {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function warn(message) {
    window.console.warn(PREFIX + " " + message);
  }

  // -- events ------------------------------------------------------------------------------

  function emit(type, data) {
    state.events.push({ type: type, data: data === undefined ? null : copy(data) });
    (listeners[type] || []).slice().forEach(function (entry) {
      if (entry.once) {
        off(type, entry.callback);
      }
      try {
        entry.callback(data);
      } catch (error) {
        window.console.error(PREFIX + " a " + type + " listener threw", error);
      }
    });
  }

  function on(type, callback, once) {
    if (typeof callback !== "function") {
      warn(type + ": a listener must be a function");
      return;
    }
    if (EVENTS.indexOf(type) < 0) {
      warn("event " + JSON.stringify(type) + " is not one the stand-in emits");
    }
    (listeners[type] = listeners[type] || []).push({ callback: callback, once: !!once });
  }

  function off(type, callback) {
    if (!listeners[type]) {
      return;
    }
    listeners[type] = callback
      ? listeners[type].filter(function (entry) {
          return entry.callback !== callback;
        })
      : [];
  }

  // -- HTTP to the sandbox -----------------------------------------------------------------

  function request(method, path, body) {
    var options = { method: method, credentials: "omit" };
    if (body !== undefined) {
      options.headers = { "Content-Type": "application/json" };
      options.body = JSON.stringify(body);
    }
    return window.fetch(api + path, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          throw new Error(data && data.error ? data.error : "HTTP " + response.status);
        }
        return data;
      });
    });
  }

  // -- secure mode -------------------------------------------------------------------------

  function refreshSession() {
    var identity = state.identity;
    var seq = ++sessionSeq;
    if (!identity || !identity.email) {
      state.identityVerified = false;
      state.verificationReason = "anonymous visitor (no identify)";
      state.previousMessages = [];
      render();
      return Promise.resolve();
    }
    return request("POST", "session", {
      beaconId: state.beaconId,
      email: identity.email,
      signature: identity.signature || "",
    })
      .then(function (data) {
        if (seq !== sessionSeq) {
          return;
        }
        state.identityVerified = !!data.verified;
        state.verificationReason = data.reason;
        state.previousMessages = data.conversations || [];
        if (!data.verified) {
          warn("visitor not verified: " + data.reason + ". Previous messages are hidden.");
        }
        render();
      })
      .catch(function (error) {
        state.identityVerified = false;
        state.verificationReason = "the sandbox could not be reached";
        warn("secure-mode check failed: " + error.message);
        render();
      });
  }

  // -- the API -----------------------------------------------------------------------------

  function init(options) {
    var id = isObject(options) ? options.beaconId : options;
    if (typeof id !== "string" || !id) {
      warn("init needs a Beacon id");
      return;
    }
    if (state.initialized) {
      destroy();
    }
    state.initialized = true;
    state.beaconId = id;
    mount();
    // Asynchronous like Beacon's own: `on("ready")` calls queued after init still hear it.
    window.setTimeout(function () {
      if (state.initialized && state.beaconId === id) {
        emit("ready");
      }
    }, 0);
    refreshSession();
  }

  function destroy() {
    unmount();
    var keep = { identity: state.identity, prefill: state.prefill, calls: state.calls };
    var events = state.events;
    state = freshState();
    state.identity = keep.identity;
    state.prefill = keep.prefill;
    state.calls = keep.calls;
    state.events = events;
  }

  function identify(data) {
    if (!isObject(data)) {
      warn("identify needs an object such as {name, email, signature}");
      return;
    }
    var identity = Object.assign({}, state.identity || {}, data);
    if (identity.email !== undefined && typeof identity.email !== "string") {
      warn("identify: email must be a string");
      delete identity.email;
    }
    state.identity = identity;
    if (state.initialized) {
      refreshSession();
    }
  }

  function prefill(data) {
    if (!isObject(data)) {
      warn("prefill needs an object such as {name, email, subject, text, fields}");
      return;
    }
    state.prefill = Object.assign({}, state.prefill, data);
    render();
  }

  function suggest(list) {
    if (list === undefined) {
      // Beacon re-applies its URL rules; the stand-in has none, so it keeps the last list.
      render();
      return;
    }
    if (!Array.isArray(list)) {
      warn("suggest needs an array of article ids or {text, url} links");
      return;
    }
    var kept = list.filter(function (item) {
      if (typeof item === "string" && item) {
        return true;
      }
      if (isObject(item) && typeof item.text === "string" && typeof item.url === "string") {
        return true;
      }
      warn("suggest: dropped " + JSON.stringify(item) + " (not an id or {text, url})");
      return false;
    });
    if (kept.length > MAX_SUGGESTIONS) {
      warn("suggest: Beacon shows at most " + MAX_SUGGESTIONS + " suggestions");
      kept = kept.slice(0, MAX_SUGGESTIONS);
    }
    state.suggestions = kept;
    if (state.route === "/" || state.route === "/answers/") {
      loadSuggestionTitles();
    }
    render();
  }

  function config(data) {
    if (!isObject(data)) {
      warn("config needs an object");
      return;
    }
    state.config = Object.assign({}, state.config, data);
    render();
  }

  function setOpen(open) {
    if (!state.initialized || state.open === open) {
      return;
    }
    state.open = open;
    render();
    emit(open ? "open" : "close");
  }

  function navigate(route) {
    if (typeof route !== "string" || route.charAt(0) !== "/") {
      warn("navigate needs a route such as /ask/message/");
      return;
    }
    var query = /^\/docs\/search\?query=(.*)$/.exec(route);
    if (query) {
      runSearch(decodeURIComponent(query[1].replace(/\+/g, " ")));
      return;
    }
    if (route === "/ask/" || route === "/ask/chat/") {
      route = "/ask/message/";
    }
    if (route === "/" || route === "/answers/") {
      loadSuggestionTitles();
    }
    if (route === "/previous-messages/") {
      refreshSession();
    }
    state.route = route;
    render();
  }

  function runSearch(query) {
    query = String(query || "").trim();
    state.route = "/docs/search";
    state.search = { query: query, results: [], loading: !!query };
    render();
    emit("search", { query: query });
    if (!query) {
      return Promise.resolve();
    }
    var seq = ++searchSeq;
    return request("GET", "search?query=" + encodeURIComponent(query))
      .then(function (data) {
        if (seq === searchSeq) {
          state.search = { query: query, results: data.articles };
          render();
        }
      })
      .catch(function (error) {
        state.search = { query: query, results: [], error: error.message };
        render();
      });
  }

  function showArticle(id) {
    if (typeof id !== "string" || !id) {
      warn("article needs an article id");
      return;
    }
    state.route = "/docs/article/" + id;
    state.article = { id: id, loading: true };
    setOpen(true);
    render();
    request("GET", "articles/" + encodeURIComponent(id))
      .then(function (data) {
        state.article = data;
        render();
        emit("article-viewed", { id: id });
      })
      .catch(function (error) {
        state.article = { id: id, error: error.message };
        render();
      });
  }

  function reset() {
    // Clears the contact form (prefill and typed values); the identity stays.
    state.prefill = {};
    if (ui) {
      ui.form.reset();
    }
    render();
  }

  function logout() {
    state.identity = null;
    state.prefill = {};
    state.identityVerified = false;
    state.verificationReason = "logged out";
    state.previousMessages = [];
    sessionSeq++;
    if (ui) {
      ui.form.reset();
    }
    render();
  }

  function info() {
    return {
      beaconId: state.beaconId,
      status: { isMounted: state.initialized, isOpened: state.open, route: state.route },
      identity: copy(state.identity),
      config: copy(state.config),
      sandbox: true,
    };
  }

  var METHODS = {
    init: init,
    destroy: destroy,
    identify: identify,
    prefill: prefill,
    suggest: suggest,
    config: config,
    open: function () {
      setOpen(true);
    },
    close: function () {
      setOpen(false);
    },
    toggle: function () {
      setOpen(!state.open);
    },
    navigate: navigate,
    search: function (query) {
      setOpen(true);
      runSearch(query);
    },
    article: showArticle,
    reset: reset,
    logout: logout,
    "session-data": function (data) {
      if (!isObject(data)) {
        warn("session-data needs an object of key/value pairs");
        return;
      }
      state.sessionData = Object.assign({}, state.sessionData, data);
    },
    on: function (type, callback) {
      on(type, callback, false);
    },
    once: function (type, callback) {
      on(type, callback, true);
    },
    off: off,
    info: info,
  };
  var BEFORE_INIT = ["init", "identify", "prefill", "suggest", "config", "session-data",
    "on", "once", "off", "info", "destroy", "reset", "logout"];

  function Beacon(method, options, data) {
    if (typeof method !== "string" || !Object.prototype.hasOwnProperty.call(METHODS, method)) {
      warn("unknown method " + JSON.stringify(method) + " (not implemented by the stand-in)");
      return undefined;
    }
    state.calls.push({ method: method, path: window.location.pathname });
    if (!state.initialized && BEFORE_INIT.indexOf(method) < 0) {
      warn(method + " called before init; ignored");
      return undefined;
    }
    return METHODS[method](options, data);
  }

  // -- the widget --------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function plainText(html) {
    // DOMParser builds an inert document (no scripts run, no images load).
    var doc = new window.DOMParser().parseFromString(String(html || ""), "text/html");
    if (!doc.body) return "";
    // A block ends its line ("Steps" then "Open Settings...", not "StepsOpen Settings"); a
    // list item starts with a bullet. Only the inert document is changed.
    doc.body.querySelectorAll("p, h1, h2, h3, h4, h5, h6, li, div, br, tr").forEach(
      function (node) {
        if (node.tagName === "LI") node.insertBefore(doc.createTextNode("• "), node.firstChild);
        if (/^H[1-6]$/.test(node.tagName)) node.insertBefore(doc.createTextNode("\n"), node.firstChild);
        node.appendChild(doc.createTextNode("\n"));
      }
    );
    return doc.body.textContent.replace(/\n{3,}/g, "\n\n").trim();
  }

  function ensureStylesheet() {
    if (document.getElementById("hs-beacon-sandbox-css")) {
      return;
    }
    var link = document.createElement("link");
    link.id = "hs-beacon-sandbox-css";
    link.rel = "stylesheet";
    link.href = base + "beacon.css";
    (document.head || document.documentElement).appendChild(link);
  }

  function mount() {
    ensureStylesheet();
    var root = el("div", "hsbs-root");
    root.id = "hs-beacon-sandbox";
    var button = el("button", "hsbs-button", "Help");
    button.type = "button";
    button.setAttribute("aria-label", "Open Help (Beacon sandbox)");
    button.addEventListener("click", function () {
      setOpen(!state.open);
    });
    var panel = el("section", "hsbs-panel");
    panel.setAttribute("aria-label", "Help (Beacon sandbox)");
    var nav = el("nav", "hsbs-nav");
    var tabs = {};
    [["/answers/", "Answers"], ["/ask/message/", "Ask"], ["/previous-messages/", "Previous messages"]]
      .forEach(function (pair) {
        var tab = el("button", "hsbs-tab", pair[1]);
        tab.type = "button";
        tab.setAttribute("data-route", pair[0]);
        tab.addEventListener("click", function () {
          navigate(pair[0]);
        });
        tabs[pair[0]] = tab;
        nav.appendChild(tab);
      });
    var body = el("div", "hsbs-body");
    var badge = el("p", "hsbs-note");
    badge.textContent = "Help Scout Beacon stand-in (sandbox)";

    var answers = el("div", "hsbs-view hsbs-answers");
    var searchForm = el("form", "hsbs-search");
    var searchInput = el("input");
    searchInput.type = "search";
    searchInput.name = "query";
    searchInput.placeholder = "Search Docs";
    searchInput.setAttribute("aria-label", "Search Docs");
    var searchButton = el("button", null, "Search");
    searchButton.type = "submit";
    searchForm.appendChild(searchInput);
    searchForm.appendChild(searchButton);
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      runSearch(searchInput.value);
    });
    var suggestionsTitle = el("h3", null, "Suggested for this page");
    var suggestionList = el("ul", "hsbs-suggestions");
    var resultsTitle = el("h3", "hsbs-results-title");
    var resultList = el("ul", "hsbs-results");
    [searchForm, suggestionsTitle, suggestionList, resultsTitle, resultList].forEach(
      function (node) {
        answers.appendChild(node);
      }
    );

    var articleView = el("article", "hsbs-view hsbs-article");
    var back = el("button", "hsbs-back", "Back");
    back.type = "button";
    back.addEventListener("click", function () {
      navigate(state.search.query ? "/docs/search?query=" + encodeURIComponent(state.search.query) : "/answers/");
    });
    var articleTitle = el("h3", "hsbs-article-title");
    var articleText = el("div", "hsbs-article-text");
    articleView.appendChild(back);
    articleView.appendChild(articleTitle);
    articleView.appendChild(articleText);

    var ask = el("div", "hsbs-view hsbs-ask");
    var form = el("form", "hsbs-form");
    var fields = {};
    [["name", "Name", "input"], ["email", "Email", "input"], ["subject", "Subject", "input"],
      ["text", "How can we help?", "textarea"]].forEach(function (spec) {
      var label = el("label", null, spec[1]);
      var input = el(spec[2]);
      input.name = spec[0];
      if (spec[0] === "email") {
        input.type = "email";
      }
      label.appendChild(input);
      form.appendChild(label);
      fields[spec[0]] = input;
    });
    var send = el("button", "hsbs-send", "Send a message");
    send.type = "submit";
    form.appendChild(send);
    var formStatus = el("p", "hsbs-status");
    formStatus.setAttribute("role", "status");
    form.appendChild(formStatus);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      sendMessage();
    });
    ask.appendChild(form);

    var previous = el("div", "hsbs-view hsbs-previous");

    body.appendChild(answers);
    body.appendChild(articleView);
    body.appendChild(ask);
    body.appendChild(previous);
    panel.appendChild(nav);
    panel.appendChild(body);
    panel.appendChild(badge);
    root.appendChild(panel);
    root.appendChild(button);
    (document.body || document.documentElement).appendChild(root);
    ui = {
      root: root, button: button, panel: panel, tabs: tabs, answers: answers,
      searchInput: searchInput, suggestionList: suggestionList, resultsTitle: resultsTitle,
      resultList: resultList, articleView: articleView, articleTitle: articleTitle,
      articleText: articleText, ask: ask, form: form, fields: fields, formStatus: formStatus,
      previous: previous, titles: {}, typed: {},
    };
    Object.keys(fields).forEach(function (name) {
      fields[name].addEventListener("input", function () {
        ui.typed[name] = true;
      });
    });
    loadSuggestionTitles();
    render();
  }

  function unmount() {
    if (ui && ui.root.parentNode) {
      ui.root.parentNode.removeChild(ui.root);
    }
    ui = null;
  }

  function loadSuggestionTitles() {
    if (!ui) {
      return;
    }
    state.suggestions.forEach(function (item) {
      if (typeof item !== "string" || ui.titles[item]) {
        return;
      }
      ui.titles[item] = { name: item, pending: true };
      request("GET", "articles/" + encodeURIComponent(item))
        .then(function (data) {
          ui && (ui.titles[item] = { name: data.name });
          render();
        })
        .catch(function () {
          ui && (ui.titles[item] = { name: item, missing: true });
          warn("suggest: article " + JSON.stringify(item) + " is not a published sandbox article");
          render();
        });
    });
  }

  function articleItem(id, name) {
    var li = el("li");
    var link = el("button", "hsbs-link", name);
    link.type = "button";
    link.setAttribute("data-article-id", id);
    link.addEventListener("click", function () {
      showArticle(id);
    });
    li.appendChild(link);
    return li;
  }

  function safeUrl(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function renderAnswers() {
    ui.suggestionList.replaceChildren();
    state.suggestions.forEach(function (item) {
      if (typeof item === "string") {
        var title = ui.titles[item] || { name: item };
        if (!title.missing) {
          ui.suggestionList.appendChild(articleItem(item, title.name));
        }
        return;
      }
      var li = el("li");
      var href = safeUrl(item.url);
      var link = el(href ? "a" : "span", "hsbs-link", item.text);
      if (href) {
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      }
      li.appendChild(link);
      ui.suggestionList.appendChild(li);
    });
    var search = state.search;
    ui.resultList.replaceChildren();
    if (state.route === "/docs/search") {
      ui.searchInput.value = search.query;
      if (search.loading) {
        ui.resultsTitle.textContent = "Searching…";
      } else if (search.error) {
        ui.resultsTitle.textContent = "Search failed: " + search.error;
      } else {
        ui.resultsTitle.textContent = search.results.length
          ? "Results for “" + search.query + "”"
          : "No articles match “" + search.query + "”";
      }
      search.results.forEach(function (article) {
        ui.resultList.appendChild(articleItem(article.id, article.name));
      });
    } else {
      ui.resultsTitle.textContent = "";
    }
  }

  function renderArticle() {
    var article = state.article || {};
    ui.articleTitle.textContent = article.loading
      ? "Loading…"
      : article.error
        ? "Article unavailable: " + article.error
        : article.name || "";
    ui.articleText.textContent = article.text ? plainText(article.text) : "";
  }

  function renderAsk() {
    var values = {
      name: state.prefill.name || (state.identity && state.identity.name) || "",
      email: state.prefill.email || (state.identity && state.identity.email) || "",
      subject: state.prefill.subject || "",
      text: state.prefill.text || "",
    };
    Object.keys(values).forEach(function (name) {
      if (!ui.typed[name]) {
        ui.fields[name].value = values[name];
      }
    });
  }

  function renderPrevious() {
    var node = ui.previous;
    node.replaceChildren();
    if (!state.identityVerified) {
      node.appendChild(
        el("p", "hsbs-unverified", "Previous messages are shown to verified visitors only.")
      );
      return;
    }
    node.appendChild(el("p", "hsbs-who", "Signed in as " + (state.identity.email || "")));
    if (!state.previousMessages.length) {
      node.appendChild(el("p", null, "No previous messages."));
    }
    state.previousMessages.forEach(function (conversation) {
      var item = el("div", "hsbs-conversation");
      item.setAttribute("data-conversation-id", String(conversation.id));
      item.appendChild(el("h4", null, conversation.subject));
      conversation.threads.forEach(function (thread) {
        var line = el("p", "hsbs-thread hsbs-from-" + (thread.from === "agent" ? "agent" : "customer"));
        line.appendChild(el("strong", null, thread.from === "agent" ? "Support: " : "You: "));
        line.appendChild(document.createTextNode(plainText(thread.text)));
        item.appendChild(line);
      });
      node.appendChild(item);
    });
  }

  function render() {
    if (!ui) {
      return;
    }
    var route = state.route;
    var docsOn = state.config.docsEnabled !== false;
    var askOn = state.config.messagingEnabled !== false;
    if (typeof state.config.color === "string") {
      ui.button.style.backgroundColor = state.config.color;
    }
    ui.root.setAttribute("data-open", state.open ? "true" : "false");
    ui.panel.hidden = !state.open;
    var view = "answers";
    if (route.indexOf("/docs/article/") === 0) {
      view = "article";
    } else if (route === "/ask/message/" || (!docsOn && (route === "/" || route === "/answers/"))) {
      view = "ask";
    } else if (route === "/previous-messages/") {
      view = "previous";
    }
    ui.answers.hidden = view !== "answers" || !docsOn;
    ui.articleView.hidden = view !== "article";
    ui.ask.hidden = view !== "ask" || !askOn;
    ui.previous.hidden = view !== "previous";
    ui.tabs["/answers/"].hidden = !docsOn;
    ui.tabs["/ask/message/"].hidden = !askOn;
    Object.keys(ui.tabs).forEach(function (key) {
      var current = (view === "answers" && key === "/answers/") ||
        (view === "ask" && key === "/ask/message/") ||
        (view === "previous" && key === "/previous-messages/");
      ui.tabs[key].setAttribute("aria-current", current ? "page" : "false");
    });
    renderAnswers();
    renderArticle();
    renderAsk();
    renderPrevious();
  }

  function sendMessage() {
    var fields = ui.fields;
    var message = {
      beaconId: state.beaconId,
      name: fields.name.value,
      email: fields.email.value,
      subject: fields.subject.value,
      text: fields.text.value,
      sessionData: state.sessionData,
    };
    ui.formStatus.textContent = "Sending…";
    request("POST", "messages", message)
      .then(function (data) {
        if (!ui) {
          return;
        }
        ui.formStatus.textContent = "Message sent. We'll reply by email.";
        fields.text.value = "";
        ui.typed.text = true;
        emit("message-sent", { conversationId: data.id, subject: message.subject });
        refreshSession();
      })
      .catch(function (error) {
        if (ui) {
          ui.formStatus.textContent = "Not sent: " + error.message;
        }
      });
  }

  // -- install -----------------------------------------------------------------------------

  window.Beacon = Beacon;
  Beacon.readyQueue = [];
  window.HelpScoutBeaconSandbox = {
    state: function () {
      return {
        initialized: state.initialized,
        beaconId: state.beaconId,
        identity: copy(state.identity),
        identityVerified: state.identityVerified,
        verificationReason: state.verificationReason,
        prefill: copy(state.prefill),
        suggestions: copy(state.suggestions),
        config: copy(state.config),
        sessionData: copy(state.sessionData),
        open: state.open,
        route: state.route,
        events: copy(state.events),
        calls: copy(state.calls),
        previousMessages: copy(state.previousMessages),
      };
    },
    // Resolves once the pending secure-mode check (if any) has answered.
    refresh: refreshSession,
  };
  queued.forEach(function (call) {
    Beacon(call.method, call.options, call.data);
  });
})(window, document);
