// Health assessment form: when the book year changes, propose the methodology that applies to
// that year. The table year -> methodology comes from the server (sikumi.rules.
// health_methodology), so the rule is written once; this only shows it.
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("method-by-year");
  const notice = document.getElementById("method-proposal");
  const year = document.querySelector("form.form [name=year]");
  if (!data || !notice || !year) return;
  const table = JSON.parse(data.textContent);
  const text = notice.querySelector(".proposal-text");
  const link = notice.querySelector("a");
  const current = notice.dataset.current;
  const propose = () => {
    const value = year.value.trim();
    const applies = table[value];
    if (!applies || applies.code === current) { notice.hidden = true; return; }
    text.textContent = notice.dataset.template
      .replace("%(year)s", value).replace("%(method)s", applies.label);
    const params = new URLSearchParams(window.location.search);
    params.set("year", value);
    params.set("method", applies.code);
    const cooperative = document.querySelector("form.form [name=cooperative]");
    if (cooperative && cooperative.value) params.set("cooperative", cooperative.value);
    link.href = "?" + params.toString();
    notice.hidden = false;
  };
  year.addEventListener("input", propose);
  year.addEventListener("change", propose);
});
