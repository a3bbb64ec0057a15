// Quote boxes: add and remove them without a round trip, and show the privacy guard's warnings
// for the quotes the server saved.
import { controls } from "./fields.js";

function renumber(group) {
  var base = group.id.replace(/-heading$/, "");
  var code = group.getAttribute("data-quotes").replace("quotes:", "");
  group.querySelectorAll("[data-quote-box]").forEach(function (box, i) {
    var textarea = box.querySelector("textarea");
    textarea.id = base + "-" + i;
    box.querySelector("label").htmlFor = textarea.id;
    box.querySelector("[data-privacy-warning]").id = textarea.id + "-warning";
    textarea.setAttribute("aria-describedby", textarea.id + "-warning");
    box.querySelector("[data-quote-number]").textContent = "Quote " + (i + 1);
    box.querySelector("[data-remove-number]").textContent = "Remove quote " + (i + 1);
    box.querySelector("[data-remove-quote]").value = code + ":" + i;
  });
}

export function addBox(group, focus) {
  var list = group.querySelector("[data-quote-list]");
  var box = list.querySelector("[data-quote-box]").cloneNode(true);
  var textarea = box.querySelector("textarea");
  textarea.value = "";
  textarea.removeAttribute("autofocus");
  box.querySelector("[data-privacy-warning]").textContent = "";
  list.append(box);
  renumber(group);
  if (focus) {
    textarea.focus();
  }
}

export function removeBox(button) {
  var group = button.closest("[data-quotes]");
  var boxes = group.querySelectorAll("[data-quote-box]");
  var box = button.closest("[data-quote-box]");
  var index = Array.prototype.indexOf.call(boxes, box);
  if (boxes.length === 1) {
    box.querySelector("textarea").value = "";
    box.querySelector("[data-privacy-warning]").textContent = "";
  } else {
    box.remove();
  }
  renumber(group);
  var left = group.querySelectorAll("textarea");
  left[Math.max(0, Math.min(index, left.length - 1))].focus();
}

// The server saved the words and says which quotes may identify someone (one entry per filled
// box, in order). Each box has its own polite live region.
export function showWarnings(form, field, messages) {
  var filled = Array.prototype.filter.call(controls(form, field), function (box) {
    return box.value.trim() !== "";
  });
  Array.prototype.forEach.call(controls(form, field), function (box) {
    var region = box.closest("[data-quote-box]").querySelector("[data-privacy-warning]");
    var message = messages[filled.indexOf(box)];
    if (!message) {
      region.textContent = "";
      return;
    }
    if (region.getAttribute("data-message") === message && region.textContent) {
      return; // already shown: not announced again at every save
    }
    var note = document.createElement("p");
    var lead = document.createElement("strong");
    lead.textContent = "Please check this quote.";
    note.append(lead, " " + message);
    region.replaceChildren(note);
    region.setAttribute("data-message", message);
  });
}
