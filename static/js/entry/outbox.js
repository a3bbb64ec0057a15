// The outbox: every change made on this device that the server does not have yet, in the order
// made, each with an id made here, so that the server applies each once (see
// interviews/services/outbox.py). Pure functions over a plain record, kept in localStorage by
// the page: localStorage writes at once, so a tab closed or a battery gone a moment after a
// keystroke still has it, and every tab of the interview reads the same record.
//
// A record: {url, label, pages, changes: [{id, field, old, new, sent}], conflicts: {field:
// conflict}, known: {field: {value, version}}}. "known" is what this device last knew the
// server held, with the record's version then: a page kept for offline use may be older.

export const PREFIX = "ufm-outbox:";

export function keyFor(user, session) {
  return PREFIX + user + ":" + session;
}

export function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function emptyRecord() {
  return { url: "", label: "", pages: [], changes: [], conflicts: {}, known: {} };
}

export function makeId() {
  return globalThis.crypto.randomUUID();
}

// The value the server holds as far as this device knows.
export function baseline(record, field) {
  return record.known[field] ? record.known[field].value : undefined;
}

// What this page was drawn from, against what the device knows: a newer value this device
// saved (or was told of) wins over an older page kept for offline use; else the page's.
export function mergePage(record, original, pageVersion) {
  Object.keys(original).forEach(function (field) {
    var known = record.known[field];
    if (!known || known.version <= pageVersion) {
      record.known[field] = { value: original[field], version: pageVersion };
    }
  });
  return record;
}

function lastFor(record, field) {
  for (var i = record.changes.length - 1; i >= 0; i -= 1) {
    if (record.changes[i].field === field) {
      return record.changes[i];
    }
  }
  return null;
}

// The newest value this device has for a field: its latest change, else what it knows.
export function latest(record, field) {
  var change = lastFor(record, field);
  return change ? change.new : baseline(record, field);
}

// Note a field's value as the page shows it now. An unsent change is updated in place (one
// change per field until it is sent); after a send, a new change starts from the value sent,
// and goes after it, so that the server applies them in the order they were made.
export function noteValue(record, field, value, newId) {
  var last = lastFor(record, field);
  if (last && !last.sent) {
    if (same(value, last.old)) {
      record.changes.splice(record.changes.indexOf(last), 1);
    } else {
      last.new = value;
    }
  } else if (last) {
    if (!same(value, last.new)) {
      record.changes.push({ id: newId(), field: field, old: last.new, new: value, sent: false });
    }
  } else if (!same(value, baseline(record, field))) {
    var old = baseline(record, field);
    record.changes.push({
      id: newId(),
      field: field,
      old: old === undefined ? null : old,
      new: value,
      sent: false,
    });
  }
  return record;
}

// What to send now: the oldest ``limit`` changes, in order; each is marked sent (it may reach
// the server even if the answer never comes back, so it is never changed again, only followed).
export function takeBatch(record, limit) {
  return record.changes.slice(0, limit || record.changes.length).map(function (change) {
    change.sent = true;
    return { id: change.id, field: change.field, old: change.old, new: change.new };
  });
}

// The server's answer to a batch: forget what it holds, note what it now has, keep conflicts
// for the person to choose. Returns the fields whose value the server now holds.
export function applyAnswer(record, batch, body) {
  var done = {};
  (body.done || []).forEach(function (id) {
    done[id] = true;
  });
  var conflicted = {};
  (body.conflicts || []).forEach(function (conflict) {
    conflicted[conflict.field] = true;
    record.conflicts[conflict.field] = conflict;
    record.known[conflict.field] = { value: conflict.theirs, version: body.version };
  });
  var saved = [];
  batch.forEach(function (change) {
    if (done[change.id] && !conflicted[change.field]) {
      record.known[change.field] = { value: change.new, version: body.version };
      if (saved.indexOf(change.field) === -1) {
        saved.push(change.field);
      }
    }
  });
  // A conflicted field waits for the person's choice, which makes a new change.
  record.changes = record.changes.filter(function (change) {
    return !done[change.id] && !conflicted[change.field];
  });
  return saved;
}

// The person chose. Keeping theirs makes a change from the partner's value to theirs.
export function resolveConflict(record, field, keepMine, mine, newId) {
  var conflict = record.conflicts[field];
  delete record.conflicts[field];
  record.changes = record.changes.filter(function (change) {
    return change.field !== field;
  });
  if (keepMine && conflict && !same(mine, conflict.theirs)) {
    record.changes.push({ id: newId(), field: field, old: conflict.theirs, new: mine, sent: false });
  }
  return record;
}

// The answers with changes still to reach the server, and those waiting for a choice: one
// each, however many times it was typed on (and sent without an answer) meanwhile.
export function waitingCount(record) {
  var fields = {};
  record.changes.forEach(function (change) {
    fields[change.field] = true;
  });
  Object.keys(record.conflicts).forEach(function (field) {
    fields[field] = true;
  });
  return Object.keys(fields).length;
}

export function waitingText(count) {
  if (!count) {
    return "Every answer is on the server.";
  }
  return (
    count + (count === 1 ? " answer" : " answers") + " waiting to be sent from this device."
  );
}

// Reading and writing the record where the page keeps it.
export function load(storage, key) {
  try {
    var stored = JSON.parse(storage.getItem(key) || "null");
    if (stored && typeof stored === "object" && Array.isArray(stored.changes)) {
      return Object.assign(emptyRecord(), stored);
    }
  } catch (error) {
    // Unreadable: start again (a private window, or a record from another version).
  }
  return emptyRecord();
}

export function store(storage, key, record) {
  try {
    storage.setItem(key, JSON.stringify(record));
    return true;
  } catch (error) {
    return false; // a full store or a private window: the page still saves while online
  }
}

// Every record of one person on this device: {key, session, record}.
export function recordsOf(storage, user) {
  var prefix = PREFIX + user + ":";
  var found = [];
  for (var i = 0; i < storage.length; i += 1) {
    var key = storage.key(i);
    if (key && key.indexOf(prefix) === 0) {
      found.push({ key: key, session: key.slice(prefix.length), record: load(storage, key) });
    }
  }
  return found;
}

export function waitingFor(storage, user) {
  return recordsOf(storage, user).reduce(function (sum, item) {
    return sum + waitingCount(item.record);
  }, 0);
}

// Forget what this device keeps of a person's interviews, except those in ``keep`` (ids as
// text) and those with changes still waiting (the server may yet take them).
export function forget(storage, user, keep) {
  recordsOf(storage, user).forEach(function (item) {
    var kept = keep && keep.indexOf(item.session) !== -1;
    if (!kept && (!keep || !waitingCount(item.record))) {
      storage.removeItem(item.key);
    }
  });
}
