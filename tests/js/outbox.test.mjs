// node --test tests/js/: static/js/entry/outbox.js, the device's outbox.
import test from "node:test";
import assert from "node:assert/strict";
import * as outbox from "../../static/js/entry/outbox.js";

function ids() {
  let n = 0;
  return () => `dev-${String((n += 1)).padStart(4, "0")}`;
}

function page(values, version = 1) {
  return outbox.mergePage(outbox.emptyRecord(), values, version);
}

class MemoryStorage {
  constructor() {
    this.items = new Map();
  }
  get length() {
    return this.items.size;
  }
  key(i) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

test("a change is noted once per field until it is sent, and undone when typed back", () => {
  const newId = ids();
  const record = page({ "quotes:help": [] });
  outbox.noteValue(record, "quotes:help", ["M"], newId);
  outbox.noteValue(record, "quotes:help", ["My sister"], newId);
  assert.deepEqual(record.changes, [
    { id: "dev-0001", field: "quotes:help", old: [], new: ["My sister"], sent: false },
  ]);
  outbox.noteValue(record, "quotes:help", [], newId);
  assert.deepEqual(record.changes, []);
});

test("typing on after a send makes a new change that starts from what was sent", () => {
  const newId = ids();
  const record = page({ "answer:help": "" });
  outbox.noteValue(record, "answer:help", "often", newId);
  const batch = outbox.takeBatch(record);
  assert.deepEqual(batch, [{ id: "dev-0001", field: "answer:help", old: "", new: "often" }]);
  outbox.noteValue(record, "answer:help", "often", newId); // unchanged: nothing new
  outbox.noteValue(record, "answer:help", "hardly_ever", newId);
  assert.deepEqual(
    record.changes.map((c) => [c.id, c.old, c.new, c.sent]),
    [
      ["dev-0001", "", "often", true],
      ["dev-0002", "often", "hardly_ever", false],
    ],
  );
});

test("a batch is the oldest changes, in order", () => {
  const newId = ids();
  const record = page({ a: "", b: "", c: "" });
  for (const field of ["a", "b", "c"]) {
    outbox.noteValue(record, field, "x", newId);
  }
  assert.deepEqual(
    outbox.takeBatch(record, 2).map((c) => c.field),
    ["a", "b"],
  );
  assert.deepEqual(
    record.changes.map((c) => c.sent),
    [true, true, false],
  );
});

test("the server's answer forgets what it holds and notes the new values", () => {
  const newId = ids();
  const record = page({ a: "", b: "" });
  outbox.noteValue(record, "a", "one", newId);
  outbox.noteValue(record, "b", "two", newId);
  const batch = outbox.takeBatch(record);
  outbox.noteValue(record, "b", "three", newId); // typed on while it was on its way
  const answer = { version: 5, done: ["dev-0001", "dev-0002"], conflicts: [] };
  assert.deepEqual(outbox.applyAnswer(record, batch, answer), ["a", "b"]);
  assert.deepEqual(record.known.a, { value: "one", version: 5 });
  assert.deepEqual(
    record.changes.map((c) => [c.id, c.old, c.new]),
    [["dev-0003", "two", "three"]],
  );
  assert.equal(outbox.waitingCount(record), 1);
});

test("an answer that never came back leaves everything to send again, same ids", () => {
  const record = page({ a: "" });
  outbox.noteValue(record, "a", "one", ids());
  outbox.takeBatch(record);
  assert.equal(outbox.waitingCount(record), 1);
  assert.equal(outbox.takeBatch(record)[0].id, "dev-0001");
});

test("a conflict waits for the choice, and keeping mine starts from the partner's value", () => {
  const newId = ids();
  const record = page({ a: "" });
  outbox.noteValue(record, "a", "mine", newId);
  const batch = outbox.takeBatch(record);
  const conflict = { field: "a", yours: "mine", theirs: "theirs", id: "dev-0001" };
  const answer = { version: 3, done: ["dev-0001"], conflicts: [conflict] };
  assert.deepEqual(outbox.applyAnswer(record, batch, answer), []);
  assert.deepEqual(record.changes, []);
  assert.equal(outbox.waitingCount(record), 1); // the choice is still to make
  outbox.resolveConflict(record, "a", true, "mine", newId);
  assert.deepEqual(
    record.changes.map((c) => [c.old, c.new]),
    [["theirs", "mine"]],
  );
  assert.deepEqual(record.conflicts, {});
});

test("taking the partner's value leaves nothing to send", () => {
  const record = page({ a: "" });
  record.conflicts.a = { field: "a", yours: "mine", theirs: "theirs" };
  outbox.resolveConflict(record, "a", false, "mine", ids());
  assert.equal(outbox.waitingCount(record), 0);
});

test("a page kept from before is brought up to what this device saved since", () => {
  const record = page({ a: "old" }, 2);
  record.known.a = { value: "saved later", version: 4 };
  outbox.mergePage(record, { a: "old", b: "b" }, 2);
  assert.equal(outbox.baseline(record, "a"), "saved later");
  assert.equal(outbox.baseline(record, "b"), "b");
  outbox.mergePage(record, { a: "partner's, newer" }, 6);
  assert.equal(outbox.baseline(record, "a"), "partner's, newer");
});

test("the latest value is the newest change, else the one known", () => {
  const record = page({ a: "known" });
  assert.equal(outbox.latest(record, "a"), "known");
  outbox.noteValue(record, "a", "typed", ids());
  assert.equal(outbox.latest(record, "a"), "typed");
});

test("the waiting count is one per answer, however often it was sent", () => {
  const newId = ids();
  const record = page({ a: "" });
  for (const value of ["1", "2", "3"]) {
    outbox.noteValue(record, "a", value, newId);
    outbox.takeBatch(record);
  }
  assert.equal(record.changes.length, 3);
  assert.equal(outbox.waitingCount(record), 1);
  assert.equal(outbox.waitingText(1), "1 answer waiting to be sent from this device.");
  assert.equal(outbox.waitingText(2), "2 answers waiting to be sent from this device.");
  assert.equal(outbox.waitingText(0), "Every answer is on the server.");
});

test("records are per user and interview, and forgetting keeps what still waits", () => {
  const storage = new MemoryStorage();
  const waiting = page({ a: "" });
  outbox.noteValue(waiting, "a", "x", ids());
  outbox.store(storage, outbox.keyFor(7, 1), waiting);
  outbox.store(storage, outbox.keyFor(7, 2), page({ a: "" }));
  outbox.store(storage, outbox.keyFor(8, 3), page({ a: "" }));
  storage.setItem("something-else", "1");
  assert.equal(outbox.waitingFor(storage, 7), 1);
  assert.equal(outbox.waitingFor(storage, 8), 0);

  outbox.forget(storage, "7", []); // My interviews with no drafts left
  assert.deepEqual(
    outbox.recordsOf(storage, 7).map((item) => item.session),
    ["1"],
  );
  outbox.forget(storage, "7", null); // log-out: everything of that person
  assert.deepEqual(outbox.recordsOf(storage, 7), []);
  assert.equal(outbox.recordsOf(storage, 8).length, 1);
  assert.equal(storage.getItem("something-else"), "1");
});

test("an unreadable record starts again", () => {
  const storage = new MemoryStorage();
  storage.setItem("k", "{not json");
  assert.deepEqual(outbox.load(storage, "k"), outbox.emptyRecord());
  storage.setItem("k", '{"changes": "no"}');
  assert.deepEqual(outbox.load(storage, "k"), outbox.emptyRecord());
});

test("ids made on the device are what the server takes", () => {
  const id = outbox.makeId();
  assert.match(id, /^[A-Za-z0-9_-]{8,64}$/);
  assert.notEqual(id, outbox.makeId());
});
