// node --test tests/js/: the pure parts of static/js/service_worker.js (a classic script, run
// here in a context of its own with the worker's globals stubbed).
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const source = readFileSync(new URL("../../static/js/service_worker.js", import.meta.url), "utf8");
const self = { addEventListener() {}, location: { origin: "http://localhost" } };
vm.runInNewContext(source, { self, URL, Response: class {}, caches: {}, fetch() {} });
const worker = self.ufmWorker;

test("only an interview's sections and check page are kept", () => {
  assert.equal(worker.entrySession("/interviews/12/section/feel/"), "12");
  assert.equal(worker.entrySession("/interviews/12/review/"), "12");
  for (const path of [
    "/interviews/",
    "/interviews/start/",
    "/interviews/12/",
    "/interviews/12/consent/",
    "/interviews/12/check/",
    "/interviews/12/autosave/",
    "/interviews/12/discard/",
    "/admin/",
    "/admin/interviews/interviewsession/12/change/",
    "/login/",
  ]) {
    assert.equal(worker.entrySession(path), null, path);
  }
});

test("kept pages are per user and interview, and say whose they are", () => {
  assert.equal(worker.pagesCache("7", "12"), "ufm-pages-7-12");
  assert.equal(worker.whoseCache("ufm-pages-7-12"), "7");
  assert.equal(worker.whoseCache("ufm-static-abc"), null);
  assert.equal(worker.whoseCache("ufm-meta"), null);
});
