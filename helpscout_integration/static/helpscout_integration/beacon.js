/*
 * Help Scout Beacon loader for the {% helpscout_beacon %} template tag.
 *
 * Reads the JSON config rendered by the tag (#helpscout-beacon-config), makes sure a
 * `window.Beacon` exists (a queue, like Help Scout's embed, unless a Beacon is already
 * there), applies init / identify / prefill / suggest, then loads Beacon's script from
 * https://beacon-v2.helpscout.net asynchronously. Offline, or when the script cannot be
 * loaded, it stays quiet: the page keeps working and nothing is thrown.
 */
(function (window, document) {
  "use strict";

  var DEFAULT_BEACON_SCRIPT = "https://beacon-v2.helpscout.net";

  function readConfig() {
    var element = document.getElementById("helpscout-beacon-config");
    if (!element) {
      return null;
    }
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function installQueue() {
    // Calls made before Beacon's script arrives are kept in readyQueue; Beacon replays
    // them once loaded (the same contract as Help Scout's own embed snippet).
    var queue = function (method, options, data) {
      queue.readyQueue.push({ method: method, options: options, data: data });
    };
    queue.readyQueue = [];
    window.Beacon = queue;
  }

  function scriptUrl(config) {
    var url = typeof config.scriptUrl === "string" ? config.scriptUrl : "";
    return /^https?:\/\//.test(url) ? url : DEFAULT_BEACON_SCRIPT;
  }

  function loadBeaconScript(src, nonce) {
    if (window.navigator && window.navigator.onLine === false) {
      return; // offline: keep the queue, load nothing, report nothing
    }
    var script = document.createElement("script");
    script.async = true;
    script.src = src;
    script.onerror = function () {
      window.Beacon.loadFailed = true;
    };
    if (nonce) {
      script.nonce = nonce;
    }
    (document.head || document.documentElement).appendChild(script);
  }

  function apply(config) {
    var Beacon = window.Beacon;
    Beacon("init", config.beaconId);
    if (config.identify) {
      Beacon("identify", config.identify);
    }
    if (config.prefill) {
      Beacon("prefill", config.prefill);
    }
    if (config.suggest && config.suggest.length) {
      Beacon("suggest", config.suggest);
    }
  }

  // Only readable while this file runs (not in later callbacks); Beacon's script gets the
  // same nonce so a strict script-src with a nonce allows it.
  var loaderNonce = (document.currentScript && document.currentScript.nonce) || "";
  var config = readConfig();
  if (!config || !config.beaconId) {
    return;
  }
  var needsScript = typeof window.Beacon !== "function";
  if (needsScript) {
    installQueue();
  }
  apply(config);
  if (needsScript) {
    var start = function () {
      loadBeaconScript(scriptUrl(config), loaderNonce);
    };
    if (document.readyState === "complete") {
      start();
    } else {
      window.addEventListener("load", start, false);
    }
  }
})(window, document);
