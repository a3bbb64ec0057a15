// On every page: the service worker is registered, and told who is logged in (it drops the
// pages it kept for anyone else); My interviews lets go of the interviews no longer in
// progress; log-out with answers still waiting on this device warns first and offers to send
// them. A page drawn without a person (the offline page) has no data-user and says nothing.
import * as outbox from "../entry/outbox.js";
import { sendAll } from "../entry/sender.js";
import { tellWorker } from "./keep.js";

var WHO = "ufm-who"; // for the offline page: whose interviews this device keeps
var user = document.body.dataset.user;
var storage = window.localStorage;

if (user !== undefined) {
  try {
    storage.setItem(WHO, user);
  } catch (error) {
    // No storage: nothing is kept on this device either.
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        registration.active.postMessage({ type: "user", user: user });
      })
      .catch(function () {
        // Not in this browser (or a private window): the pages work online as before.
      });
  }
}

// My interviews: what is not a draft any more (submitted, verified) has nothing left to do
// offline. Interviews with answers still waiting stay until the server has them.
var drafts = document.querySelector("[data-drafts]");
if (user && drafts) {
  var keep = drafts.getAttribute("data-drafts").split(" ").filter(Boolean);
  outbox.forget(storage, user, keep);
  tellWorker({ type: "forget", user: user, keep: keep });
}

function clearDevice() {
  outbox.forget(storage, user, null);
  storage.removeItem(WHO);
  return tellWorker({ type: "forget", user: user });
}

var form = document.querySelector("form[data-logout]");
var dialog = document.getElementById("logout-dialog");
if (user && form && dialog) {
  var sure = false;
  var said = dialog.querySelector("[data-logout-status]");

  var logOut = function () {
    sure = true;
    clearDevice().then(function () {
      form.submit();
    });
  };

  form.addEventListener("submit", function (event) {
    if (sure) {
      return;
    }
    event.preventDefault();
    var waiting = outbox.waitingFor(storage, user);
    if (!waiting) {
      logOut();
      return;
    }
    dialog.querySelector("[data-logout-count]").textContent = outbox.waitingText(waiting);
    said.textContent = "";
    dialog.showModal();
  });

  dialog.querySelector("[data-send-first]").addEventListener("click", async function () {
    said.textContent = "Sending…";
    var items = outbox.recordsOf(storage, user).filter(function (item) {
      return item.record.changes.length;
    });
    for (var item of items) {
      await sendAll(storage, item.key, 0);
    }
    var waiting = outbox.waitingFor(storage, user);
    if (!waiting) {
      said.textContent = "Every answer is on the server. Logging out…";
      logOut();
      return;
    }
    dialog.querySelector("[data-logout-count]").textContent = outbox.waitingText(waiting);
    said.textContent =
      "Not all sent: there is no connection, or your partner changed an answer you changed " +
      "too (open the interview to choose). Stay logged in and try again when the connection " +
      "returns.";
  });
  dialog.querySelector("[data-logout-anyway]").addEventListener("click", logOut);
  dialog.querySelector("[data-stay]").addEventListener("click", function () {
    dialog.close();
  });
}
