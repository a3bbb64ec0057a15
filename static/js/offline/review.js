// The check page: it is kept for offline use like the sections, but submitting for checking
// needs the connection, and says so; answers still waiting on this device are sent first.
import * as outbox from "../entry/outbox.js";
import { sendAll } from "../entry/sender.js";
import { onSendNow, showWaiting } from "../entry/outbox_bar.js";
import { keepPages } from "./keep.js";

var form = document.querySelector("form[data-submit-form]");
var storage = window.localStorage;

function reachable() {
  return fetch("/healthz", { cache: "no-store", credentials: "same-origin" }).then(
    function (response) {
      return response.ok;
    },
    function () {
      return false;
    },
  );
}

if (form && window.fetch && storage) {
  var key = outbox.keyFor(form.dataset.user, form.dataset.session);
  var note = document.getElementById("submit-note");
  var record = outbox.load(storage, key);
  record.url = record.url || form.dataset.autosaveUrl;
  outbox.store(storage, key, record);

  var say = function (text) {
    note.textContent = text;
    note.hidden = !text;
  };

  var sendWaiting = function () {
    return sendAll(storage, key, 0).then(function (result) {
      var waiting = showWaiting(storage, key);
      if (!waiting) {
        say("");
      } else if (result.kind === "saved" || result.kind === "nothing") {
        say(
          "Your partner changed an answer you changed too: open that section to choose " +
            "which to keep, then submit.",
        );
      } else {
        say(
          outbox.waitingText(waiting) +
            " They are not in the answers above yet, and are sent when the connection returns.",
        );
      }
      return waiting;
    });
  };

  form.addEventListener("submit", function (event) {
    if (form.dataset.sure) {
      return;
    }
    event.preventDefault();
    sendWaiting()
      .then(function (waiting) {
        return waiting ? false : reachable();
      })
      .then(function (ok) {
        if (ok) {
          form.dataset.sure = "yes";
          form.requestSubmit();
        } else if (!outbox.waitingCount(outbox.load(storage, key))) {
          say(
            "Submitting for checking needs the connection. Everything you typed is kept on " +
              "this device: submit when the connection returns.",
          );
        }
      });
  });
  onSendNow(sendWaiting);
  window.addEventListener("online", sendWaiting);
  showWaiting(storage, key);
  if (outbox.waitingCount(record)) {
    sendWaiting();
  }
  var pages = Array.prototype.map.call(document.querySelectorAll(".ufm-progress a"), function (a) {
    return a.pathname;
  });
  keepPages(form.dataset.user, form.dataset.session, [window.location.pathname].concat(pages));
}
