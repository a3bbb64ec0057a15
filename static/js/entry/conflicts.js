// The conflict panel: both values and the choice, from the page's <template id="conflict-
// template">. Filled with textContent: the words are the participant's.

export function showConflict(area, conflict, choose) {
  var field = conflict.field;
  var existing = area.querySelector('[data-conflict="' + CSS.escape(field) + '"]');
  if (existing) {
    existing.remove();
  }
  var template = document.getElementById("conflict-template");
  var box = template.content.firstElementChild.cloneNode(true);
  var titleId = "conflict-" + field.replace(/[^a-z0-9]/gi, "-");
  box.setAttribute("data-conflict", field);
  box.setAttribute("aria-labelledby", titleId);
  var title = box.querySelector("[data-conflict-question]");
  title.id = titleId;
  title.textContent = "Your partner also changed: " + conflict.question;
  box.querySelector("[data-conflict-theirs]").textContent =
    "Your partner saved: " + conflict.theirs_display;
  box.querySelector("[data-conflict-yours]").textContent =
    "You entered: " + conflict.yours_display;
  box.querySelector("[data-keep-mine]").addEventListener("click", function () {
    box.remove();
    choose(conflict, true);
  });
  box.querySelector("[data-keep-theirs]").addEventListener("click", function () {
    box.remove();
    choose(conflict, false);
  });
  area.append(box);
}
