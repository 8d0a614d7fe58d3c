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
// Disclosure buttons (the phone menu, its sections, the list filters): a button[data-disclosure]
// with aria-controls opens and closes its target ("open" class) and says so in aria-expanded;
// app.css hides a closed target on narrow screens only. Escape closes the open menu.
document.addEventListener("click", (event) => {
  const button = event.target.closest ? event.target.closest("button[data-disclosure]") : null;
  if (!button) return;
  const target = document.getElementById(button.getAttribute("aria-controls"));
  if (!target) return;
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  target.classList.toggle("open", open);
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const toggle = document.querySelector(".menu-toggle[aria-expanded='true']");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu || !(menu.contains(document.activeElement) || document.activeElement === toggle)) return;
  toggle.setAttribute("aria-expanded", "false");
  menu.classList.remove("open");
  toggle.focus();
});
