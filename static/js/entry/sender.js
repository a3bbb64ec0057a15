// Sending one interview's outbox to the server, in one request, and reading the answer. Used by
// the section pages, the check page and the log-out warning; none of them sends otherwise.
import * as outbox from "./outbox.js";
import { outcome } from "../save_retry.js";

var TIMEOUT = 15000; // a connection that hangs (wifi without internet) counts as none
var BATCH = 50; // a request stays small, however long the device was offline

export function csrfToken() {
  var found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (found) {
    return decodeURIComponent(found[1]);
  }
  var input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

// Resolves to {kind, ...}: "nothing" (nothing to send), "saved" ({body, saved: fields}),
// "refused" ({status, message, body}), or a kind of save_retry.outcome / "offline" (with
// retryAfter) when the changes stay on the device to be sent again.
export async function send(storage, key, version) {
  var record = outbox.load(storage, key);
  if (!record.changes.length || !record.url) {
    return { kind: "nothing", record: record };
  }
  var batch = outbox.takeBatch(record, BATCH);
  outbox.store(storage, key, record);
  var response;
  var controller = new AbortController();
  var timer = setTimeout(function () {
    controller.abort();
  }, TIMEOUT);
  try {
    response = await fetch(record.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "follow",
      signal: controller.signal,
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify({ version: version || 0, changes: batch }),
    });
  } catch (error) {
    return { kind: "offline" };
  } finally {
    clearTimeout(timer);
  }
  var kind = outcome(response.status, response.headers.get("Content-Type"), response.redirected);
  if (kind !== "answer") {
    return { kind: kind, retryAfter: response.headers.get("Retry-After") };
  }
  var body;
  try {
    body = await response.json();
  } catch (error) {
    return { kind: "server-trouble" };
  }
  record = outbox.load(storage, key); // another tab may have added to it meanwhile
  if (response.status !== 200) {
    if (response.status === 409 || response.status === 403 || response.status === 404) {
      // Locked, or no longer this person's to change: sending again cannot help.
      record.changes = [];
      outbox.store(storage, key, record);
    }
    return { kind: "refused", status: response.status, message: body.error, body: body };
  }
  var saved = outbox.applyAnswer(record, batch, body);
  outbox.store(storage, key, record);
  return { kind: "saved", body: body, saved: saved, record: record, more: record.changes.length > 0 };
}

// Send until the outbox is empty or a send does not get through: the last result.
export async function sendAll(storage, key, version) {
  var result = await send(storage, key, version);
  while (result.kind === "saved" && result.more) {
    result = await send(storage, key, result.body.version);
  }
  return result;
}
