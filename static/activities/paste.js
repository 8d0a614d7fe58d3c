// "Tambahkan N peserta" on the pasted-list preview: N is the people found plus the new people
// whose names are filled in (an empty name skips that NIK). Texts come from data attributes.
(() => {
  function setUp() {
    const button = document.querySelector("button[data-paste-count]");
    if (!button || !button.form) return;
    const form = button.form;
    const found = Number(button.dataset.pasteCount) || 0;
    const label = button.dataset.pasteLabel || "";
    const update = () => {
      let n = found;
      form.querySelectorAll("input[data-new-person]").forEach((input) => {
        if (input.value.trim()) n += 1;
      });
      button.textContent = label.replace("{n}", n.toLocaleString("id-ID"));
      button.disabled = n === 0;
    };
    form.addEventListener("input", update);
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
