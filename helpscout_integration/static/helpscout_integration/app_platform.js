/*
 * App platform content page: when Help Scout's JavaScript SDK is on the page (the host
 * bundles @helpscout/javascript-sdk and exposes it as window.HelpScout), show the links
 * marked data-helpscout-side-panel and open them in Help Scout's Side Panel, which loads
 * the URL with its signed context appended. Without the SDK the links stay hidden: the
 * panel URL alone carries no signature and would answer 401.
 */
(function () {
  "use strict";
  function ready() {
    var sdk = window.HelpScout;
    if (!sdk || typeof sdk.openSidePanel !== "function") {
      return;
    }
    var links = document.querySelectorAll("a[data-helpscout-side-panel]");
    Array.prototype.forEach.call(links, function (link) {
      link.hidden = false;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        sdk.openSidePanel(link.href);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
