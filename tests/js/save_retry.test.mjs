// node --test tests/js/ (run by tests/test_javascript.py): static/js/save_retry.js.
import test from "node:test";
import assert from "node:assert/strict";
import * as retry from "../../static/js/save_retry.js";

test("a 503 is busy, never logged out, whatever it carries", () => {
  assert.equal(retry.outcome(503, "application/json", false), "busy");
  assert.equal(retry.outcome(503, "text/html; charset=utf-8", false), "busy");
});

test("another 5xx is server trouble, never logged out", () => {
  assert.equal(retry.outcome(500, "text/html", false), "server-trouble");
  assert.equal(retry.outcome(502, "", false), "server-trouble");
});

test("a page or a redirect where JSON was expected is logged out", () => {
  assert.equal(retry.outcome(200, "text/html; charset=utf-8", false), "logged-out");
  assert.equal(retry.outcome(200, "application/json", true), "logged-out");
  assert.equal(retry.outcome(200, null, false), "logged-out");
});

test("JSON answers are read, refused ones too", () => {
  for (const status of [200, 400, 403, 404, 409]) {
    assert.equal(retry.outcome(status, "application/json", false), "answer");
  }
});

test("Retry-After in seconds is followed", () => {
  assert.equal(retry.retryDelay("5", 0), 5000);
  assert.equal(retry.retryDelay(" 12 ", 40000), 12000);
});

test("Retry-After is capped at a minute and is at least a second", () => {
  assert.equal(retry.retryDelay("3600", 0), 60000);
  assert.equal(retry.retryDelay("0", 0), 1000);
});

test("without a usable Retry-After the wait doubles from 2 s up to a minute", () => {
  assert.equal(retry.retryDelay(null, 0), 2000);
  assert.equal(retry.retryDelay(undefined, 2000), 4000);
  assert.equal(retry.retryDelay("Wed, 21 Oct 2026 07:28:00 GMT", 8000), 16000);
  assert.equal(retry.retryDelay("-3", 8000), 16000);
  assert.equal(retry.retryDelay(null, 50000), 60000);
});

test("the waiting message says not saved yet, when, and that the words are kept", () => {
  const busy = retry.waitingMessage("busy", 5000);
  assert.match(busy, /^Not saved yet – the system is busy/);
  assert.match(busy, /trying again in 5 seconds/);
  assert.match(busy, /kept on this device/);
  assert.doesNotMatch(busy, /logged out/);
  assert.match(retry.waitingMessage("server-trouble", 1000), /in 1 second\./);
  assert.match(retry.waitingMessage("logged-out", 1000), /logged out.*kept on this device/);
  assert.equal(
    retry.waitingMessage("offline", 2000),
    "Not saved yet – no connection, your answers are kept on this device",
  );
});

test("a save that has not reached the server says so in words", () => {
  assert.equal(retry.statusLabel(true), "Warning:");
  assert.equal(retry.statusLabel(false), "");
});
