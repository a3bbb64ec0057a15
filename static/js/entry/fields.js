// Reading and writing a section's fields in the shapes the server stores (see
// interviews/services/sessions.py): a quote question's boxes as a list of texts, a tick-all
// question as a sorted list of codes, a one-answer question as its code or "".

export function isQuotes(field) {
  return field.indexOf("quotes:") === 0;
}

export function isTicks(field) {
  return field.indexOf("ticks:") === 0;
}

export function controls(form, field) {
  return form.querySelectorAll('[name="' + CSS.escape(field) + '"]');
}

export function read(form, field) {
  var nodes = Array.prototype.slice.call(controls(form, field));
  if (isQuotes(field)) {
    return quoteTexts(
      nodes.map(function (box) {
        return box.value;
      }),
    );
  }
  var checked = nodes
    .filter(function (input) {
      return input.checked;
    })
    .map(function (input) {
      return input.value;
    });
  if (isTicks(field)) {
    return checked.sort();
  }
  return checked.length ? checked[0] : "";
}

// The boxes' texts as saved: line ends as the server keeps them, empty boxes left out.
export function quoteTexts(values) {
  return values
    .map(function (text) {
      return text.replace(/\r\n/g, "\n");
    })
    .filter(function (text) {
      return text.trim() !== "";
    });
}

// ``addBox(group)`` makes one more quote box (quotes.js) when the value has more quotes.
export function write(form, field, value, addBox) {
  if (isQuotes(field)) {
    var group = form.querySelector('[data-quotes="' + CSS.escape(field) + '"]');
    var texts = value && value.length ? value : [""];
    while (controls(form, field).length < texts.length) {
      addBox(group, false);
    }
    Array.prototype.forEach.call(controls(form, field), function (box, i) {
      box.value = i < texts.length ? texts[i] : "";
    });
    return;
  }
  var wanted = Array.isArray(value) ? value : [value];
  Array.prototype.forEach.call(controls(form, field), function (input) {
    input.checked = wanted.indexOf(input.value) !== -1;
  });
}
