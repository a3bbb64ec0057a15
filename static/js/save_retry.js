// What the outbox's sender makes of the server's answer and how long it waits to send again:
// plain functions, apart from the page, so that `node --test tests/js/` can check them.

var FIRST_RETRY = 2000;
var MAX_RETRY = 60000;

// "answer": JSON, saved or refused (the page reads it); "busy": 503, the database was busy and
// nothing was saved yet; "server-trouble": another 5xx (a proxy's page, a crash);
// "logged-out": a redirect or a page where JSON was expected (the log-in page). Only the last
// says "logged out": a busy or failing server has not logged anybody out. All but "answer"
// keep the changes on the device.
export function outcome(status, contentType, redirected) {
  if (status === 503) {
    return "busy";
  }
  if (status >= 500) {
    return "server-trouble";
  }
  if (redirected || String(contentType || "").indexOf("application/json") === -1) {
    return "logged-out";
  }
  return "answer";
}

// Milliseconds to wait before sending again. The server's Retry-After (whole seconds, as
// ufm/busy.py sends it) when there is one; otherwise double the last wait, from 2 s. Never
// more than a minute, so that a long wait cannot leave the words unsent for long.
export function retryDelay(retryAfter, previous) {
  var text = String(retryAfter === null || retryAfter === undefined ? "" : retryAfter).trim();
  if (/^\d+$/.test(text)) {
    return Math.min(Math.max(parseInt(text, 10) * 1000, 1000), MAX_RETRY);
  }
  return Math.min(Math.max((previous || 0) * 2, FIRST_RETRY), MAX_RETRY);
}

// The save status for a save that is waiting to be sent again (offline: the words it had
// before there were other reasons, and the browser tests look for).
export function waitingMessage(kind, delay) {
  var seconds = Math.round(delay / 1000);
  var when = " – trying again in " + seconds + (seconds === 1 ? " second" : " seconds");
  var kept = ". Your answers are kept on this device.";
  if (kind === "busy") {
    return "Not saved yet – the system is busy with another save" + when + kept;
  }
  if (kind === "server-trouble") {
    return "Not saved yet – the server had a problem" + when + kept;
  }
  if (kind === "logged-out") {
    return (
      "Not saved yet – you have been logged out. Your answers are kept on this device: " +
      "log in again in this browser and open this page to send them."
    );
  }
  return "Not saved yet – no connection, your answers are kept on this device";
}

// The word the save status starts with. A save that has not reached the server (the answers
// are only on this device) starts with "Warning:", so that it is told from "Saved" by its
// words and not only by its colour and border (WCAG 1.4.1).
export function statusLabel(problem) {
  return problem ? "Warning:" : "";
}
