// Small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("submit", function (event) {
  // Forms with data-confirm ask before destructive actions.
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
