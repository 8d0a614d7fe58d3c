// Sikumi's small behaviours; no inline scripts anywhere (strict CSP).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
    el.form.submit();
  }
});
document.addEventListener("submit", (event) => {
  // Guard against a form posted twice by a double click. getAttribute, not form.method: a field
  // named "method" (the health assessment has one) shadows the form's property.
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  const confirmText = form.getAttribute("data-confirm");
  if (confirmText && !window.confirm(confirmText)) { form.dataset.submitted = ""; event.preventDefault(); }
});
// "Pakai": copy a value computed from the registries into its input.
document.addEventListener("click", (event) => {
  const button = event.target.closest ? event.target.closest("[data-use-computed]") : null;
  if (!button) return;
  const input = document.querySelector(`[name="${button.dataset.useComputed}"]`);
  if (input) { input.value = button.dataset.value; input.focus(); }
});
