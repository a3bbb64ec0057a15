// Autosave for the schedule's sections: an enhancement, the page works without it.
//
// Every change is sent a couple of seconds after typing stops, when a field is left and when a
// choice is ticked, as {version, changes: {field: {old, new}}}; "old" is the value this page
// last knew the server held, so the server can merge changes to different fields and report a
// conflict, instead of overwriting, when the partner changed the same field meanwhile.
// Unsent changes are kept in localStorage (per session and user) until the server has them:
// offline, after a reload, or after being logged out.
(function () {
  "use strict";

  var form = document.getElementById("section-form");
  var retry = window.UFMSaveRetry; // static/js/save_retry.js
  if (!form || !window.fetch || !window.JSON || !retry) {
    return;
  }

  var url = form.getAttribute("data-autosave-url");
  var storageKey = form.getAttribute("data-storage-key");
  var statusLine = document.getElementById("save-status");
  var conflictArea = document.getElementById("conflict-area");
  var versionInput = form.querySelector("input[name=version]");
  var originalInput = form.querySelector("input[name=original]");
  var csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  var TYPING_PAUSE = 2000;

  var baseline = JSON.parse(originalInput.value); // field -> value last known to be stored
  var version = parseInt(versionInput.value, 10);
  var pending = loadPending(); // field -> {old, new}: changes the server does not have yet
  var conflicts = {}; // field -> conflict from the server, waiting for the person to choose
  var inFlight = false;
  var again = false;
  var stopped = false;
  var leaving = false;
  var typingTimer = null;
  var retryTimer = null;
  var retryDelay = 0;

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function onPage(field) {
    return Object.prototype.hasOwnProperty.call(baseline, field);
  }

  function isQuotes(field) {
    return field.indexOf("quotes:") === 0;
  }

  // A tick-all question's ticks, a sorted list of codes (see interviews/selectors.py).
  function isTicks(field) {
    return field.indexOf("ticks:") === 0;
  }

  function controls(field) {
    return form.querySelectorAll('[name="' + field + '"]');
  }

  // The value of a field as the server stores it (see interviews/services/sessions.py).
  function read(field) {
    var nodes = Array.prototype.slice.call(controls(field));
    if (isQuotes(field)) {
      return nodes
        .map(function (box) {
          return box.value.replace(/\r\n/g, "\n");
        })
        .filter(function (text) {
          return text.trim() !== "";
        });
    }
    var checked = nodes
      .filter(function (input) {
        return input.checked;
      })
      .map(function (input) {
        return input.value;
      });
    if (isTicks(field)) {
      return checked.sort();
    }
    return checked.length ? checked[0] : "";
  }

  function write(field, value) {
    if (isQuotes(field)) {
      var group = form.querySelector('[data-quotes="' + field + '"]');
      var texts = value.length ? value : [""];
      while (controls(field).length < texts.length) {
        addBox(group, false);
      }
      Array.prototype.forEach.call(controls(field), function (box, i) {
        box.value = i < texts.length ? texts[i] : "";
      });
      return;
    }
    var wanted = Array.isArray(value) ? value : [value];
    Array.prototype.forEach.call(controls(field), function (input) {
      input.checked = wanted.indexOf(input.value) !== -1;
    });
  }

  function loadPending() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storageKey) || "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch (error) {
      return {};
    }
  }

  function storePending() {
    try {
      if (Object.keys(pending).length) {
        window.localStorage.setItem(storageKey, JSON.stringify(pending));
      } else {
        window.localStorage.removeItem(storageKey);
      }
    } catch (error) {
      // Private browsing or a full store: the page still saves while online.
    }
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

  // Compare the page with what is stored and note what still has to be sent.
  function collect() {
    Object.keys(baseline).forEach(function (field) {
      if (conflicts[field]) {
        return; // not sent until the person chooses
      }
      var value = read(field);
      if (same(value, baseline[field])) {
        delete pending[field];
      } else {
        var old = pending[field] ? pending[field].old : baseline[field];
        pending[field] = { old: old, new: value };
      }
    });
    storePending();
  }

  function scheduleSave(delay) {
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(save, delay);
  }

  function save() {
    window.clearTimeout(typingTimer);
    window.clearTimeout(retryTimer);
    if (stopped) {
      return;
    }
    collect();
    if (inFlight) {
      again = true;
      return;
    }
    var fields = Object.keys(pending);
    if (!fields.length) {
      return;
    }
    var sent = {};
    fields.forEach(function (field) {
      sent[field] = { old: pending[field].old, new: pending[field].new };
    });
    inFlight = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken,
      },
      body: JSON.stringify({ version: version, changes: sent }),
    })
      .then(function (response) {
        var kind = retry.outcome(
          response.status,
          response.headers.get("Content-Type"),
          response.redirected,
        );
        if (kind === "busy" || kind === "server-trouble") {
          // Nothing was saved: the changes stay pending (and on this device) and go again.
          throw { kind: kind, retryAfter: response.headers.get("Retry-After") };
        }
        if (kind === "logged-out") {
          throw { loggedOut: true };
        }
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        inFlight = false;
        retryDelay = 0;
        if (result.status === 200) {
          saved(sent, result.body);
        } else {
          refused(result.status, result.body.error || "Not saved.");
        }
      })
      .catch(function (error) {
        inFlight = false;
        again = false;
        if (error && error.loggedOut) {
          showStatus(
            "Not saved yet – you have been logged out. Your answers are kept on this device: " +
              "log in again in this browser and open this page to send them.",
            true,
          );
          return;
        }
        var kind = (error && error.kind) || "offline";
        retryDelay = retry.retryDelay(error && error.retryAfter, retryDelay);
        showStatus(retry.waitingMessage(kind, retryDelay), true);
        retryTimer = window.setTimeout(save, retryDelay);
      })
      .then(function () {
        if (again) {
          again = false;
          save();
        }
      });
  }

  function saved(sent, body) {
    version = body.version;
    versionInput.value = String(version);
    var conflicted = {};
    body.conflicts.forEach(function (conflict) {
      conflicted[conflict.field] = true;
    });
    Object.keys(sent).forEach(function (field) {
      if (conflicted[field]) {
        delete pending[field];
        return;
      }
      if (onPage(field)) {
        baseline[field] = sent[field].new;
      }
      if (pending[field] && same(pending[field].new, sent[field].new)) {
        delete pending[field];
      } else if (pending[field]) {
        pending[field].old = sent[field].new; // typed on while this save was on its way
      }
    });
    body.conflicts.forEach(showConflict);
    Object.keys(sent).forEach(function (field) {
      // Not while the person has typed on: the boxes may no longer match what was checked,
      // and the next save brings the warnings for what is there now.
      if (isQuotes(field) && onPage(field) && !conflicted[field] && !pending[field]) {
        showWarnings(field, (body.warnings || {})[field] || []);
      }
    });
    originalInput.value = JSON.stringify(baseline);
    storePending();
    var text = "Saved " + body.saved_at_display;
    if (body.conflicts.length) {
      text += " – your partner changed an answer you changed too: choose which to keep below";
    }
    showStatus(text, body.conflicts.length > 0);
  }

  function refused(status, message) {
    if (status === 409 || status === 403 || status === 404) {
      stopped = true; // locked, or no longer this person's to change: saving again cannot help
      pending = {};
      storePending();
    }
    showStatus("Not saved: " + message, true);
  }

  // The privacy guard: the server saved the words and says which quotes may identify someone
  // (one entry per filled box, in order). Each box has its own polite live region.
  function showWarnings(field, messages) {
    var filled = Array.prototype.filter.call(controls(field), function (box) {
      return box.value.trim() !== "";
    });
    Array.prototype.forEach.call(controls(field), function (box) {
      var region = box.closest("[data-quote-box]").querySelector("[data-privacy-warning]");
      var message = messages[filled.indexOf(box)];
      if (!message) {
        region.textContent = "";
        return;
      }
      if (region.getAttribute("data-message") === message && region.textContent) {
        return; // already shown: not announced again at every save
      }
      var note = document.createElement("p");
      var lead = document.createElement("strong");
      lead.textContent = "Please check this quote.";
      note.append(lead, " " + message);
      region.replaceChildren(note);
      region.setAttribute("data-message", message);
    });
  }

  // Both values, and the choice. Built with textContent: the words are the participant's.
  function showConflict(conflict) {
    var field = conflict.field;
    conflicts[field] = conflict;
    var existing = conflictArea.querySelector('[data-conflict="' + field + '"]');
    if (existing) {
      existing.remove();
    }
    var box = document.createElement("div");
    box.className = "ufm-conflict";
    box.setAttribute("data-conflict", field);
    box.setAttribute("role", "group");
    var titleId = "conflict-" + field.replace(/[^a-z0-9]/gi, "-");
    box.setAttribute("aria-labelledby", titleId);
    var title = document.createElement("h2");
    title.className = "h5";
    title.id = titleId;
    title.textContent = "Your partner also changed: " + conflict.question;
    var theirs = document.createElement("p");
    theirs.textContent = "Your partner saved: " + conflict.theirs_display;
    var yours = document.createElement("p");
    yours.textContent = "You entered: " + conflict.yours_display;
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-primary me-2 mb-2";
    keep.textContent = "Keep my answer";
    var take = document.createElement("button");
    take.type = "button";
    take.className = "btn btn-outline-primary mb-2";
    take.textContent = "Use my partner's answer";
    keep.addEventListener("click", function () {
      resolve(conflict, box, true);
    });
    take.addEventListener("click", function () {
      resolve(conflict, box, false);
    });
    box.append(title, theirs, yours, keep, take);
    conflictArea.append(box);
  }

  function resolve(conflict, box, keepMine) {
    var field = conflict.field;
    delete conflicts[field];
    box.remove();
    if (onPage(field)) {
      baseline[field] = conflict.theirs;
    }
    if (keepMine) {
      var mine = onPage(field) ? read(field) : conflict.yours;
      pending[field] = { old: conflict.theirs, new: mine };
      storePending();
      save(); // sent with the current version: the partner's value is now the one replaced
    } else {
      if (onPage(field)) {
        write(field, conflict.theirs);
      }
      delete pending[field];
      storePending();
      originalInput.value = JSON.stringify(baseline);
      showStatus("Your partner's answer is kept.", false);
    }
    var first = controls(field)[0];
    if (first) {
      first.focus();
    }
  }

  // Quote boxes: add and remove here, without a round trip.
  function renumber(group) {
    var base = group.id.replace(/-heading$/, "");
    var code = group.getAttribute("data-quotes").replace("quotes:", "");
    group.querySelectorAll("[data-quote-box]").forEach(function (box, i) {
      var textarea = box.querySelector("textarea");
      textarea.id = base + "-" + i;
      box.querySelector("label").htmlFor = textarea.id;
      box.querySelector("[data-privacy-warning]").id = textarea.id + "-warning";
      textarea.setAttribute("aria-describedby", textarea.id + "-warning");
      box.querySelector("[data-quote-number]").textContent = "Quote " + (i + 1);
      box.querySelector("[data-remove-number]").textContent = "Remove quote " + (i + 1);
      box.querySelector("[data-remove-quote]").value = code + ":" + i;
    });
  }

  function addBox(group, focus) {
    var list = group.querySelector("[data-quote-list]");
    var box = list.querySelector("[data-quote-box]").cloneNode(true);
    var textarea = box.querySelector("textarea");
    textarea.value = "";
    textarea.removeAttribute("autofocus");
    box.querySelector("[data-privacy-warning]").textContent = "";
    list.append(box);
    renumber(group);
    if (focus) {
      textarea.focus();
    }
  }

  function removeBox(button) {
    var group = button.closest("[data-quotes]");
    var boxes = group.querySelectorAll("[data-quote-box]");
    var box = button.closest("[data-quote-box]");
    var index = Array.prototype.indexOf.call(boxes, box);
    if (boxes.length === 1) {
      box.querySelector("textarea").value = "";
      box.querySelector("[data-privacy-warning]").textContent = "";
    } else {
      box.remove();
    }
    renumber(group);
    var left = group.querySelectorAll("textarea");
    left[Math.max(0, Math.min(index, left.length - 1))].focus();
    save();
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
      scheduleSave(300);
    }
  });
  form.addEventListener("focusout", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      save();
    }
  });
  form.addEventListener("submit", function () {
    leaving = true; // the post carries every answer on the page
  });
  window.addEventListener("online", function () {
    retryDelay = 0;
    save();
  });
  window.addEventListener("beforeunload", function (event) {
    collect();
    if (!leaving && (Object.keys(pending).length || Object.keys(conflicts).length)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Changes kept on this device from before (offline, logged out, closed): show them and send.
  var restored = Object.keys(pending);
  restored.forEach(function (field) {
    if (onPage(field)) {
      write(field, pending[field].new);
    }
  });
  showStatus("Your answers save as you type.", false);
  if (restored.length) {
    showStatus("Sending answers kept on this device…", false);
    save();
  }
})();
