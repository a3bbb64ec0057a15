// The tagging page's keys, apart from the page, so that `node --test tests/js/` can check them:
// which key press ticks which sub-theme, which saves, and which are left to the browser.
// The page gives each sub-theme's key as data-ufm-key (1–9, then letters: themes.admin.tagging).

// Saves the quote's tags and opens the next untagged quote of the list.
export const SAVE_KEY = "Enter";

// Inputs in which a key press is typing (a memo, a search), not a command. Checkboxes, radios
// and buttons are not: the keys work while one of them has the focus.
const TYPED_INPUTS = new Set([
  "text", "search", "email", "url", "tel", "password", "number", "date", "datetime-local",
  "month", "week", "time",
]);

// Where Enter already does something of its own: press a button, follow a link, open a list.
const OWN_ENTER = new Set(["BUTTON", "A", "SUMMARY", "SELECT"]);

export function isTyping(target) {
  if (!target) {
    return false;
  }
  if (target.isContentEditable) {
    return true;
  }
  const tag = String(target.tagName || "").toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") {
    return true;
  }
  if (tag === "INPUT") {
    return TYPED_INPUTS.has(String(target.type || "text").toLowerCase());
  }
  return false;
}

// The key as the page names it: a single character in lower case, else its name ("Enter").
export function keyName(key) {
  const text = String(key || "");
  return text.length === 1 ? text.toLowerCase() : text;
}

// What a key press does: {kind: "toggle", key} for a sub-theme's key, {kind: "save"} for
// Enter, or null (left to the browser): with Ctrl, Alt or Meta held (the browser's own
// shortcuts), while typing in a text box, or for Enter on a button or link.
// `keys`: the sub-themes' keys on the page (a Set of names).
export function keyAction(event, keys) {
  if (!event || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) {
    return null;
  }
  if (isTyping(event.target)) {
    return null;
  }
  const name = keyName(event.key);
  if (name === SAVE_KEY) {
    if (event.shiftKey) {
      return null;
    }
    const tag = String((event.target && event.target.tagName) || "").toUpperCase();
    const type = String((event.target && event.target.type) || "").toLowerCase();
    if (OWN_ENTER.has(tag) || (tag === "INPUT" && (type === "submit" || type === "button"))) {
      return null;
    }
    return { kind: "save" };
  }
  if (keys.has(name)) {
    return { kind: "toggle", key: name };
  }
  return null;
}
