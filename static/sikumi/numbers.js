// Number inputs typed the Indonesian way: "1.250.000.000" or "1.250.000,50". Inputs marked
// data-number="grouped" get their thousands grouped as one types (and again on leaving the
// field); the server reads them with the same rule as the imports (parse_number).
(function () {
  "use strict";
  const grouping = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });

  // "Rp 1250000,5" -> "Rp 1.250.000,5". Only text made of a sign, an optional "Rp", digits,
  // dots and at most one comma is touched; anything else is left exactly as typed so the server
  // can say what is wrong with it.
  function group(text) {
    const match = /^(\s*[-+]?\s*(?:Rp\.?\s*)?)([\d.]*)(,\d*)?(\s*)$/i.exec(text);
    if (!match || !match[2] || /\.\d{1,2}$/.test(match[2]) && !match[3]) return text;
    const digits = match[2].replace(/\./g, "");
    if (!digits || digits.length > 15) return text;
    const whole = grouping.format(Number(digits)).replace(/\s/g, ".");
    return match[1] + whole + (match[3] || "") + match[4];
  }

  function regroup(input) {
    const before = input.value;
    const after = group(before);
    if (after === before) return;
    // Keep the caret after the same number of digits as before.
    const caret = input.selectionStart === null ? before.length : input.selectionStart;
    const digitsBefore = before.slice(0, caret).replace(/[^\d,]/g, "").length;
    input.value = after;
    let seen = 0;
    let position = 0;
    while (position < after.length && seen < digitsBefore) {
      if (/[\d,]/.test(after[position])) seen += 1;
      position += 1;
    }
    if (document.activeElement === input) input.setSelectionRange(position, position);
  }

  function grouped(el) {
    return el instanceof HTMLInputElement && el.dataset.number === "grouped";
  }

  document.addEventListener("input", (event) => {
    if (grouped(event.target) && !event.isComposing) regroup(event.target);
  });
  document.addEventListener("focusout", (event) => {
    if (grouped(event.target)) regroup(event.target);
  });
  window.sikumiGroupNumber = group;
})();
