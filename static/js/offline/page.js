// The offline page: "Go back", and the interviews this device keeps for the person logged in
// last, each with a link to its first section (kept on the device too).
import { recordsOf } from "../entry/outbox.js";

var back = document.getElementById("go-back");
if (back && window.history.length > 1) {
  back.hidden = false;
  back.addEventListener("click", function () {
    window.history.back();
  });
}

var list = document.getElementById("kept-interviews");
var who = window.localStorage && window.localStorage.getItem("ufm-who");
if (list && who) {
  recordsOf(window.localStorage, who)
    .filter(function (item) {
      return item.record.pages && item.record.pages.length;
    })
    .forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.record.pages[0];
      link.textContent = item.record.label || "Interview " + item.session;
      li.append(link);
      list.append(li);
    });
  document.getElementById("kept-section").hidden = !list.children.length;
}
