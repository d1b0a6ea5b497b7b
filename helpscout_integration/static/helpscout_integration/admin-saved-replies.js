// Saved replies in the conversation page's reply forms: load the mailbox's list on
// demand, insert the chosen reply's text at the cursor. Text only (never HTML).
(function () {
  "use strict";
  function setUp(picker) {
    if (picker.dataset.ready) { return; }  // the script may be included twice
    picker.dataset.ready = "1";
    var select = picker.querySelector("select");
    var status = picker.querySelector(".hs-saved-status");
    var target = document.getElementById(picker.dataset.target);
    function load(refresh) {
      status.textContent = "Loading…";
      fetch(picker.dataset.listUrl + (refresh ? "?refresh=1" : ""), { credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
        .then(function (result) {
          if (!result[0]) { status.textContent = result[1].error || "Could not load saved replies."; return; }
          while (select.options.length > 1) { select.remove(1); }
          result[1].saved_replies.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.id;
            option.textContent = item.name;
            option.title = item.preview;
            select.appendChild(option);
          });
          status.textContent = result[1].saved_replies.length ? "" : "This mailbox has no saved replies.";
          picker.dataset.loaded = "1";
        })
        .catch(function () { status.textContent = "Could not load saved replies."; });
    }
    select.addEventListener("focus", function () { if (!picker.dataset.loaded) { load(false); } });
    picker.querySelector(".hs-saved-refresh").addEventListener("click", function (event) {
      event.preventDefault();
      load(true);
    });
    select.addEventListener("change", function () {
      if (!select.value) { return; }
      status.textContent = "Inserting…";
      fetch(picker.dataset.itemUrl.replace("/0/", "/" + select.value + "/"), { credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
        .then(function (result) {
          if (!result[0]) { status.textContent = result[1].error || "Could not insert it."; return; }
          var start = target.selectionStart, end = target.selectionEnd, value = target.value;
          target.value = value.slice(0, start) + result[1].text + value.slice(end);
          target.focus();
          status.textContent = "Inserted “" + result[1].name + "”.";
          select.value = "";
        })
        .catch(function () { status.textContent = "Could not insert it."; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".hs-saved-replies").forEach(setUp);
  });
})();
