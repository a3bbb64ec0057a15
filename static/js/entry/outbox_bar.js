// The line that is always in view on the interview pages: how many answers are waiting on this
// device, and "Send now".
import * as outbox from "./outbox.js";

export function showWaiting(storage, key) {
  var count = document.getElementById("outbox-count");
  if (!count) {
    return 0;
  }
  var waiting = outbox.waitingCount(outbox.load(storage, key));
  count.textContent = outbox.waitingText(waiting);
  document.getElementById("outbox-bar").classList.toggle("ufm-waiting", waiting > 0);
  document.getElementById("send-now").hidden = waiting === 0;
  return waiting;
}

export function onSendNow(handler) {
  var button = document.getElementById("send-now");
  if (button) {
    button.addEventListener("click", handler);
  }
}
