// The tagging page's keys (themes.admin.tagging, and a coding round's page): a sub-theme's key
// ticks or unticks it, Enter presses the page's "save and next" button (data-ufm-save-next).
// What each key does is tagging_keys.js's.
import { keyAction } from "./tagging_keys.js";

const save = document.querySelector("[data-ufm-save-next]");
const form = save && save.form;
const status = document.getElementById("ufm-tagging-status");
const boxes = new Map();
for (const box of document.querySelectorAll("input[data-ufm-key]")) {
  boxes.set(box.dataset.ufmKey, box);
}
const keys = new Set(boxes.keys());

function labelOf(box) {
  const label = box.labels && box.labels[0];
  const key = label && label.querySelector(".ufm-key");
  const text = label ? label.textContent : box.value;
  return (key ? text.replace(key.textContent, "") : text).trim();
}

if (form && save) {
  document.addEventListener("keydown", (event) => {
    const action = keyAction(event, keys);
    if (action === null) {
      return;
    }
    event.preventDefault();
    if (action.kind === "save") {
      form.requestSubmit(save);
      return;
    }
    const box = boxes.get(action.key);
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    // Said to screen readers: the focus stays where it was.
    if (status) {
      status.textContent = (box.checked ? "Ticked: " : "Unticked: ") + labelOf(box);
    }
  });
}
