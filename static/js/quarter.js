// The forecast against the plan, written as the owner types: the same words as
// tracker.followup.rules.forecast_note (keep the two in step). The page works without this file.
"use strict";
(function () {
  var note = document.getElementById("prognose-merknad");
  var input = document.getElementById("forecast");
  if (!note || !input) {
    return;
  }
  var plan = parseInt(note.getAttribute("data-plan-nok"), 10);
  var year = note.getAttribute("data-year");
  var pct = parseInt(note.getAttribute("data-pct"), 10);
  var minNok = parseInt(note.getAttribute("data-min-nok"), 10);

  // Whole kroner typed the Norwegian way ("1 250 000", "-200 000"); null when blank or not a whole number.
  function parseNok(text) {
    var cleaned = text.replace(/[\s\u00a0\u202f\u2009\u2007']/g, "").replace(/^[\u2212\u2013]/, "-");
    if (cleaned.indexOf(",") >= 0) {
      cleaned = cleaned.replace(/\./g, "").replace(",", ".");
    }
    if (!/^-?\d+(\.0*)?$/.test(cleaned)) {
      return null;
    }
    return parseInt(cleaned, 10);
  }

  function formatNok(amount) {
    var digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
    return (amount < 0 ? "-" : "") + digits;
  }

  function forecastNote(forecast) {
    var planText = "planen for " + year + " (" + formatNok(plan) + " kr)";
    if (forecast === null) {
      return "Skriv prognosen for hele året; " + planText + ".";
    }
    var missing = Math.max(0, plan - forecast);
    if (missing > 0 && missing * 100 > Math.abs(plan) * pct && missing >= minNok) {
      return "Prognosen er " + formatNok(missing) + " kr under " + planText +
        ": et avvik. Forklar hvorfor og beskriv korrigerende tiltak.";
    }
    if (missing > 0) {
      return "Prognosen er " + formatNok(missing) + " kr under " + planText + ", innenfor grensen for avvik.";
    }
    if (forecast > plan) {
      return "Prognosen er " + formatNok(forecast - plan) + " kr over " + planText + ".";
    }
    return "Prognosen er lik " + planText + ".";
  }

  input.addEventListener("input", function () {
    note.textContent = forecastNote(parseNok(input.value));
  });
})();
