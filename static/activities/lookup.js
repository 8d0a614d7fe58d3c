// Lookup fields: an <input data-lookup="enterprise|person|cooperative|official|product"> holds a
// record id; a search box beside it lists matches from /kegiatan/cari/ and fills the id.
(() => {
  const config = document.getElementById("lookup-config");
  if (!config) return;
  const url = config.dataset.lookupUrl;
  const timers = new WeakMap();

  function render(list, input, label, results) {
    list.replaceChildren();
    for (const hit of results) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = hit.label + (hit.detail ? " · " + hit.detail : "") + (hit.example ? " (data contoh)" : "");
      button.addEventListener("click", () => {
        input.value = String(hit.id);
        label.textContent = hit.label;
        list.replaceChildren();
      });
      li.appendChild(button);
      list.appendChild(li);
    }
    if (!results.length) {
      const li = document.createElement("li");
      li.textContent = "Tidak ada yang cocok.";
      list.appendChild(li);
    }
  }

  for (const input of document.querySelectorAll("input[data-lookup]")) {
    const box = document.createElement("input");
    box.type = "search";
    box.placeholder = "Cari…";
    box.autocomplete = "off";
    box.setAttribute("aria-label", "Cari " + input.dataset.lookup);
    const label = document.createElement("span");
    label.className = "lookup-label";
    const list = document.createElement("ul");
    list.className = "search-results";
    input.after(box, label, list);
    box.addEventListener("input", () => {
      clearTimeout(timers.get(box));
      const q = box.value.trim();
      if (q.length < 2) { list.replaceChildren(); return; }
      timers.set(box, setTimeout(async () => {
        const params = new URLSearchParams({ jenis: input.dataset.lookup, q });
        const response = await fetch(url + "?" + params, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const data = await response.json();
        render(list, input, label, data.results);
      }, 250));
    });
  }
})();
