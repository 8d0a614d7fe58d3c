// Number inputs typed the Indonesian way: "1.250.000.000" or "1.250.000,50". Inputs marked
// data-number="grouped" get their thousands grouped as one types (and again on leaving the
// field); the server reads them with the same rule as the imports (parse_number).
//
// The dots the script writes are thousands separators and are rewritten freely. A dot the person
// typed or pasted is left alone while typing ("12.5" may be meant as a decimal; the server says
// so if it cannot be read) and only tidied on leaving the field when it already groups thousands.
(function () {
  "use strict";
  const grouping = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });
  const NUMBER = /^(\s*[-+]?\s*(?:Rp\.?\s*)?)([\d.]*)(,\d*)?(\s*)$/i;

  function groupedWell(whole) {
    const parts = whole.split(".");
    return parts[0].length >= 1 && parts[0].length <= 3 && parts.slice(1).every((p) => p.length === 3);
  }

  // "Rp 1250000,5" -> "Rp 1.250.000,5"; text that is not a number is returned unchanged.
  function group(text, dotsAreOurs) {
    const match = NUMBER.exec(text);
    if (!match || !match[2]) return text;
    if (match[2].includes(".") && !dotsAreOurs && !groupedWell(match[2])) return text;
    const digits = match[2].replace(/\./g, "");
    if (!digits || digits.length > 15) return text;
    const whole = grouping.format(Number(digits)).replace(/\s/g, ".");
    return match[1] + whole + (match[3] || "") + match[4];
  }

  function setKeepingCaret(input, after) {
    const before = input.value;
    if (after === before) return;
    // Keep the caret after the same number of digits (and comma) as before.
    const caret = input.selectionStart === null ? before.length : input.selectionStart;
    const kept = before.slice(0, caret).replace(/[^\d,]/g, "").length;
    input.value = after;
    let seen = 0;
    let position = 0;
    while (position < after.length && seen < kept) {
      if (/[\d,]/.test(after[position])) seen += 1;
      position += 1;
    }
    if (document.activeElement === input) input.setSelectionRange(position, position);
  }

  function grouped(el) {
    return el instanceof HTMLInputElement && el.dataset.number === "grouped";
  }

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!grouped(input) || event.isComposing) return;
    if (event.data && event.data.includes(".")) input.dataset.typedDot = "1";
    if (event.inputType === "insertFromPaste" && input.value.includes(".")) {
      input.dataset.typedDot = "1";
    }
    if (!input.value.includes(".")) delete input.dataset.typedDot;
    setKeepingCaret(input, group(input.value, input.dataset.typedDot !== "1"));
  });
  document.addEventListener("focusout", (event) => {
    const input = event.target;
    if (!grouped(input)) return;
    setKeepingCaret(input, group(input.value, input.dataset.typedDot !== "1"));
    delete input.dataset.typedDot;
  });
  window.sikumiGroupNumber = group;
})();
