// Autosave for the schedule's sections: an enhancement, the page works without it.
//
// Every change goes into this device's outbox (outbox.js) as it is made, and is sent a couple
// of seconds after typing stops, when a field is left, when a choice is ticked, when the page
// opens, on a timer and from "Send now". Each change carries "old", the value this device last
// knew the server held, so the server merges changes to different fields and reports a
// conflict, instead of overwriting, when the partner changed the same field meanwhile.
// Without a connection Back and Next still move between the sections: the service worker
// (static/js/service_worker.js) keeps the interview's pages on the device.
import * as outbox from "./outbox.js";
import * as fields from "./fields.js";
import * as retry from "../save_retry.js";
import { send } from "./sender.js";
import { showConflict } from "./conflicts.js";
import { addBox, removeBox, showWarnings } from "./quotes.js";
import { onSendNow, showWaiting } from "./outbox_bar.js";
import { keepPages } from "../offline/keep.js";

var TYPING_PAUSE = 2000;
var TIMER = 30000;

function start(form) {
  var storage = window.localStorage;
  var key = outbox.keyFor(form.dataset.user, form.dataset.session);
  var statusLine = document.getElementById("save-status");
  var conflictArea = document.getElementById("conflict-area");
  var versionInput = form.querySelector("input[name=version]");
  var original = JSON.parse(form.querySelector("input[name=original]").value);
  var version = parseInt(versionInput.value, 10);
  var pages = Array.prototype.map.call(document.querySelectorAll(".ufm-progress a"), function (a) {
    return a.pathname;
  });

  var inFlight = null; // the send on its way, a promise
  var again = false;
  var stopped = false;
  var offline = false;
  var leaving = false;
  var typingTimer = null;
  var retryTimer = null;
  var retryDelay = 0;

  function onPage(field) {
    return Object.prototype.hasOwnProperty.call(original, field);
  }

  function showStatus(text, problem) {
    var label = retry.statusLabel(problem);
    statusLine.textContent = "";
    if (label) {
      var strong = document.createElement("strong");
      strong.className = "ufm-save-status-label";
      strong.textContent = label + " ";
      statusLine.appendChild(strong);
    }
    statusLine.appendChild(document.createTextNode(text));
    statusLine.classList.toggle("ufm-offline", Boolean(problem));
  }

  // Note in the outbox what the page shows now.
  function collect() {
    var record = outbox.load(storage, key);
    Object.keys(original).forEach(function (field) {
      if (!record.conflicts[field]) {
        outbox.noteValue(record, field, fields.read(form, field), outbox.makeId);
      }
    });
    outbox.store(storage, key, record);
    showWaiting(storage, key);
    return record;
  }

  function scheduleSave(delay) {
    window.clearTimeout(typingTimer);
    if (offline) {
      return; // no connection: the timer, "online" and "Send now" try again
    }
    typingTimer = window.setTimeout(save, delay);
  }

  function save() {
    window.clearTimeout(typingTimer);
    window.clearTimeout(retryTimer);
    if (stopped) {
      return Promise.resolve();
    }
    collect();
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = send(storage, key, version).then(function (result) {
      inFlight = null;
      var more = answered(result);
      showWaiting(storage, key);
      if (again || more) {
        again = false;
        return save();
      }
    });
    return inFlight;
  }

  // What the server said; true when there is more to send at once.
  function answered(result) {
    if (result.kind === "nothing") {
      return false;
    }
    if (result.kind === "saved") {
      offline = false;
      retryDelay = 0;
      saved(result);
      return result.more;
    }
    if (result.kind === "refused") {
      if (result.status === 409 || result.status === 403 || result.status === 404) {
        stopped = true; // locked, or no longer this person's to change
      }
      showStatus("Not saved: " + (result.message || "Not saved."), true);
      return false;
    }
    offline = true;
    retryDelay = retry.retryDelay(result.retryAfter, retryDelay);
    showStatus(retry.waitingMessage(result.kind, retryDelay), true);
    retryTimer = window.setTimeout(save, retryDelay);
    return false;
  }

  function saved(result) {
    var body = result.body;
    version = body.version;
    versionInput.value = String(version);
    body.conflicts.forEach(function (conflict) {
      showConflict(conflictArea, conflict, choose);
    });
    var record = result.record;
    result.saved.forEach(function (field) {
      // Not while the person has typed on: the boxes may no longer match what was checked,
      // and the next save brings the warnings for what is there now.
      var typedOn = record.changes.some(function (change) {
        return change.field === field;
      });
      if (fields.isQuotes(field) && onPage(field) && !typedOn) {
        showWarnings(form, field, (body.warnings || {})[field] || []);
      }
    });
    var text = "Saved " + body.saved_at_display;
    if (body.conflicts.length) {
      text += " – your partner changed an answer you changed too: choose which to keep below";
    }
    showStatus(text, body.conflicts.length > 0);
  }

  function choose(conflict, keepMine) {
    var field = conflict.field;
    var record = outbox.load(storage, key);
    var mine = onPage(field) ? fields.read(form, field) : conflict.yours;
    if (!keepMine && onPage(field)) {
      fields.write(form, field, conflict.theirs, addBox);
    }
    outbox.resolveConflict(record, field, keepMine, mine, outbox.makeId);
    outbox.store(storage, key, record);
    showWaiting(storage, key);
    if (keepMine) {
      save();
    } else {
      showStatus("Your partner's answer is kept.", false);
    }
    var first = fields.controls(form, field)[0];
    if (first) {
      first.focus();
    }
  }

  form.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-quote]");
    var remove = event.target.closest("[data-remove-quote]");
    if (add) {
      event.preventDefault();
      addBox(add.closest("[data-quotes]"), true);
    } else if (remove) {
      event.preventDefault();
      removeBox(remove);
      save();
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      collect();
      scheduleSave(TYPING_PAUSE);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "radio" || event.target.type === "checkbox") {
      collect();
      scheduleSave(300);
    }
  });
  form.addEventListener("focusout", function (event) {
    if (event.target.tagName === "TEXTAREA" && !offline) {
      save();
    }
  });
  // Back, Next and "Save and stay": send what there is, then go. With no connection the
  // answers stay in the outbox and the next page comes from this device.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var href = event.submitter && event.submitter.getAttribute("data-href");
    var sent = offline ? (collect(), Promise.resolve()) : save();
    sent.then(function () {
      var record = outbox.load(storage, key);
      if (Object.keys(record.conflicts).length) {
        conflictArea.querySelector("button").focus();
        return;
      }
      if (href && !stopped) {
        leaving = true;
        window.location.assign(href);
      }
    });
  });
  onSendNow(function () {
    offline = false;
    retryDelay = 0;
    showStatus("Sending…", false);
    save();
  });
  window.addEventListener("online", function () {
    offline = false;
    retryDelay = 0;
    save();
  });
  window.addEventListener("storage", function (event) {
    if (event.key === key) {
      showWaiting(storage, key); // another tab of this interview
    }
  });
  window.addEventListener("beforeunload", function (event) {
    collect();
    if (!leaving && outbox.waitingCount(outbox.load(storage, key))) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.setInterval(function () {
    if (!inFlight && outbox.waitingCount(outbox.load(storage, key))) {
      save();
    }
  }, TIMER);

  // What this device has that the page may not: changes not sent yet, values saved since this
  // copy of the page was kept, and conflicts not yet chosen.
  var record = outbox.load(storage, key);
  record.url = form.dataset.autosaveUrl;
  record.label = form.dataset.label;
  record.pages = pages;
  outbox.mergePage(record, original, version);
  migrateOldStore(record);
  outbox.store(storage, key, record);
  Object.keys(original).forEach(function (field) {
    var value = outbox.latest(record, field);
    if (!outbox.same(value, fields.read(form, field))) {
      fields.write(form, field, value, addBox);
    }
  });
  Object.keys(record.conflicts).forEach(function (field) {
    showConflict(conflictArea, record.conflicts[field], choose);
  });
  showWaiting(storage, key);
  keepPages(form.dataset.user, form.dataset.session, [window.location.pathname].concat(pages));
  showStatus("Your answers save as you type.", false);
  if (record.changes.length) {
    showStatus("Sending answers kept on this device…", false);
    save();
  }

  // Answers kept by the page before the outbox (one key per session and user).
  function migrateOldStore(into) {
    var oldKey = "ufm-unsaved:" + form.dataset.session + ":" + form.dataset.user;
    try {
      var pending = JSON.parse(storage.getItem(oldKey) || "{}");
      Object.keys(pending).forEach(function (field) {
        into.changes.push({
          id: outbox.makeId(),
          field: field,
          old: pending[field].old,
          new: pending[field].new,
          sent: false,
        });
      });
      storage.removeItem(oldKey);
    } catch (error) {
      // Nothing readable kept there.
    }
  }
}

var form = document.getElementById("section-form");
if (form && window.fetch && window.localStorage) {
  start(form);
}
