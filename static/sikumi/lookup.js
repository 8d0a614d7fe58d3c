// Lookup fields (sikumi.core.forms.LookupInput): an <input data-lookup="KIND"> holds a record's
// id; a search box added beside it lists matches from data-lookup-url (the "lookup" view) and a
// click fills the id and shows the record's name in the .lookup-label after the input.
// Every text comes from the input's data attributes (translated on the server); no inline code.
(() => {
  const timers = new WeakMap();

  function render(list, input, label, results) {
    list.replaceChildren();
    for (const hit of results) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      // The name first, then what tells namesakes apart (a person: "•••• 0012 · Kedaung ·
      // lahir 1985"; a product: its business), set apart so the eye finds the name.
      const name = document.createElement("strong");
      name.textContent = hit.label;
      button.appendChild(name);
      if (hit.detail) {
        const detail = document.createElement("span");
        detail.className = "lookup-detail";
        detail.textContent = " · " + hit.detail;
        button.appendChild(detail);
      }
      if (hit.example) {
        button.appendChild(document.createTextNode(" (" + (input.dataset.lookupExample || "") + ")"));
      }
      button.addEventListener("click", () => {
        input.value = String(hit.id);
        label.textContent = hit.label;
        list.replaceChildren();
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      li.appendChild(button);
      list.appendChild(li);
    }
    if (!results.length) {
      const li = document.createElement("li");
      li.textContent = input.dataset.lookupEmpty || "";
      list.appendChild(li);
    }
  }

  function setUp(input) {
    if (input.dataset.lookupReady) return;
    input.dataset.lookupReady = "1";
    let label = input.nextElementSibling;
    if (!label || !label.classList.contains("lookup-label")) {
      label = document.createElement("span");
      label.className = "lookup-label";
      input.after(label);
    }
    const box = document.createElement("input");
    box.type = "search";
    box.className = "lookup-search";
    box.placeholder = input.dataset.lookupPlaceholder || "";
    box.autocomplete = "off";
    box.setAttribute("aria-label", input.dataset.lookupDescription || input.dataset.lookup);
    box.title = input.dataset.lookupDescription || "";
    const list = document.createElement("ul");
    list.className = "search-results lookup-results";
    list.setAttribute("aria-live", "polite");
    label.after(box, list);
    // An id typed by hand no longer matches the name shown.
    input.addEventListener("input", () => { label.textContent = ""; });
    box.addEventListener("keydown", (event) => {
      // Enter in the search box must not submit the form half filled.
      if (event.key === "Enter") event.preventDefault();
      if (event.key === "Escape") list.replaceChildren();
    });
    box.addEventListener("input", () => {
      clearTimeout(timers.get(box));
      const q = box.value.trim();
      if (q.length < 2) { list.replaceChildren(); return; }
      timers.set(box, setTimeout(async () => {
        const params = new URLSearchParams({ jenis: input.dataset.lookup, q });
        try {
          const response = await fetch(input.dataset.lookupUrl + "?" + params, {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
          });
          if (!response.ok || box.value.trim() !== q) return;
          const data = await response.json();
          render(list, input, label, data.results);
        } catch (error) {
          list.replaceChildren();  // offline or the session ended: no results to show
        }
      }, 250));
    });
  }

  function setUpAll(root) {
    if (root.matches && root.matches("input[data-lookup]")) setUp(root);
    if (root.querySelectorAll) root.querySelectorAll("input[data-lookup]").forEach(setUp);
  }

  setUpAll(document);
  // Forms swapped in by htmx get their search boxes too.
  document.addEventListener("htmx:load", (event) => setUpAll(event.target));
})();
