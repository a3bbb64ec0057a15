// node --test tests/js/ (run by tests/test_javascript.py): static/js/tagging_keys.js, an ES
// module, imported as one (a data: address is always a module, whatever the Node version).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const source = fs.readFileSync(
  path.join(__dirname, "..", "..", "static", "js", "tagging_keys.js"),
  "utf8",
);
const loaded = import("data:text/javascript;charset=utf-8," + encodeURIComponent(source));

const KEYS = new Set(["1", "2", "9", "a", "b"]);
const checkbox = { tagName: "INPUT", type: "checkbox" };
const press = (key, target = checkbox, extra = {}) => ({ key, target, ...extra });

test("a sub-theme's key ticks it, whatever the case", async () => {
  const { keyAction } = await loaded;
  assert.deepEqual(keyAction(press("1"), KEYS), { kind: "toggle", key: "1" });
  assert.deepEqual(keyAction(press("A"), KEYS), { kind: "toggle", key: "a" });
  assert.deepEqual(keyAction(press("b", { tagName: "BODY" }), KEYS), { kind: "toggle", key: "b" });
});

test("a key no sub-theme has does nothing", async () => {
  const { keyAction } = await loaded;
  assert.equal(keyAction(press("3"), KEYS), null);
  assert.equal(keyAction(press("z"), KEYS), null);
  assert.equal(keyAction(press("ArrowDown"), KEYS), null);
  assert.equal(keyAction(press(" "), KEYS), null); // Space stays the checkbox's own
});

test("Enter saves, from a checkbox or the page", async () => {
  const { keyAction } = await loaded;
  assert.deepEqual(keyAction(press("Enter"), KEYS), { kind: "save" });
  assert.deepEqual(keyAction(press("Enter", { tagName: "BODY" }), KEYS), { kind: "save" });
});

test("Enter on a button or a link does what that button or link does", async () => {
  const { keyAction } = await loaded;
  for (const target of [
    { tagName: "BUTTON", type: "submit" },
    { tagName: "A" },
    { tagName: "INPUT", type: "submit" },
    { tagName: "SELECT" },
  ]) {
    assert.equal(keyAction(press("Enter", target), KEYS), null, target.tagName);
  }
});

test("nothing fires while typing in a text box (a memo, a search)", async () => {
  const { keyAction, isTyping } = await loaded;
  for (const target of [
    { tagName: "TEXTAREA" },
    { tagName: "INPUT", type: "text" },
    { tagName: "INPUT", type: "search" },
    { tagName: "input" }, // no type: a text box
    { tagName: "DIV", isContentEditable: true },
  ]) {
    assert.equal(isTyping(target), true);
    assert.equal(keyAction(press("1", target), KEYS), null);
    assert.equal(keyAction(press("Enter", target), KEYS), null);
  }
  assert.equal(isTyping(checkbox), false);
  assert.equal(isTyping({ tagName: "INPUT", type: "radio" }), false);
});

test("keys held with Ctrl, Alt or Meta are the browser's", async () => {
  const { keyAction } = await loaded;
  for (const modifier of ["ctrlKey", "altKey", "metaKey"]) {
    assert.equal(keyAction(press("1", checkbox, { [modifier]: true }), KEYS), null, modifier);
    assert.equal(keyAction(press("Enter", checkbox, { [modifier]: true }), KEYS), null);
  }
  assert.equal(keyAction(press("Enter", checkbox, { shiftKey: true }), KEYS), null);
  assert.equal(keyAction(press("1", checkbox, { isComposing: true }), KEYS), null);
});
