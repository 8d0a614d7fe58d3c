// Choropleth of an indicator per kecamatan in the indicator's own unit (a percentage by
// percentage, a count by count); for counts a click zooms into that kecamatan's kelurahan.
(function () {
  const el = document.getElementById("indicator-map");
  const dataEl = document.getElementById("map-data");
  if (!el || !dataEl || !window.echarts) return;
  const data = JSON.parse(dataEl.textContent);
  const chart = window.sikumiChart(echarts.init(el));
  const back = document.getElementById("map-back");
  const fmt = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });
  const percent = data.scale === "percent";
  const show = (v) => (v == null || isNaN(v) ? "-" : fmt.format(v) + (percent ? "%" : ""));

  function draw(mapName, values, filterPrefix) {
    const series = Object.entries(values)
      .filter(([code]) => code && (!filterPrefix || code.startsWith(filterPrefix)))
      .map(([code, value]) => ({ name: code, value: value == null ? NaN : value }));
    const numbers = series.map((s) => s.value).filter((v) => !isNaN(v));
    const max = percent ? Math.max(100, ...numbers) : Math.max(1, ...numbers);
    chart.setOption({
      title: { text: data.title, subtext: data.legend, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item", formatter: (p) => `${data.names[p.name] || p.name}: ${show(p.value)}` },
      visualMap: { min: Math.min(0, ...numbers), max: max, calculable: true, text: [data.legend, ""],
                   left: "left", bottom: 10, inRange: { color: ["#e8f0f8", "#0b4f8a"] },
                   formatter: (v) => show(v) },
      series: [{ type: "map", map: mapName, nameProperty: "kode", roam: true, data: series,
                 label: { show: true, fontSize: 9, formatter: (p) => data.names[p.name] || "" } }],
    }, true);
  }

  function load(url) { return fetch(url, { credentials: "same-origin" }).then((r) => r.json()); }

  load(data.kecamatanUrl).then((geo) => {
    echarts.registerMap("kecamatan", geo);
    draw("kecamatan", data.kecamatan);
  });
  chart.on("click", (p) => {
    // kelurahan figures exist for counts only (a percentage has no kelurahan denominator)
    if (!p.name || p.name.split(".").length !== 3 || !Object.keys(data.kelurahan).length) return;
    load(data.kelurahanUrl).then((geo) => {
      const features = geo.features.filter((f) => f.properties.kode.startsWith(p.name + "."));
      echarts.registerMap("kelurahan-" + p.name, { type: "FeatureCollection", features: features });
      draw("kelurahan-" + p.name, data.kelurahan, p.name + ".");
      if (back) back.hidden = false;
    });
  });
  if (back) back.addEventListener("click", () => { draw("kecamatan", data.kecamatan); back.hidden = true; });
  window.addEventListener("resize", () => chart.resize());
})();
