// Charts of the monitoring pages (dashboard and public page). Data comes from json_script
// (id "monev-charts"); no inline scripts (strict CSP).
(function () {
  "use strict";
  const source = document.getElementById("monev-charts");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const fmt = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });
  const charts = [];

  function make(el, option) {
    const chart = window.sikumiChart(echarts.init(el, null, { renderer: "canvas" }));
    chart.setOption(Object.assign({ animation: false }, option));
    charts.push(chart);
  }

  document.querySelectorAll("[data-chart='indicator']").forEach((el) => {
    const group = data[el.dataset.group] || [];
    const ind = group[Number(el.dataset.index)];
    if (!ind) return;
    make(el, {
      tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "-" : fmt.format(v)) },
      legend: { data: ["Target", "Realisasi"], bottom: 0 },
      grid: { left: 50, right: 10, top: 20, bottom: 40 },
      xAxis: { type: "category", data: ind.years.map(String) },
      yAxis: { type: "value", name: ind.unit || "" },
      series: [
        { name: "Target", type: "line", data: ind.targets, connectNulls: true },
        { name: "Realisasi", type: "bar", data: ind.realisations },
      ],
    });
  });

  const absorption = document.getElementById("chart-absorption");
  if (absorption && data.absorption) {
    const rows = data.absorption;
    make(absorption, {
      tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "-" : fmt.format(v) + "%") },
      grid: { left: 260, right: 30, top: 10, bottom: 30 },
      xAxis: { type: "value", name: "%" },
      yAxis: { type: "category", inverse: true, data: rows.map((r) => (r.code ? r.code + " " : "") + r.name), axisLabel: { width: 250, overflow: "truncate" } },
      series: [{ name: "Serapan", type: "bar", data: rows.map((r) => ({ value: r.percent, itemStyle: { color: r.over ? "#b00020" : "#2f6fb0" } })) }],
    });
  }

  const promise = document.getElementById("chart-promise");
  if (promise && data.promise) {
    const p = data.promise;
    make(promise, {
      tooltip: { trigger: "axis" },
      legend: { data: ["Capaian", "Janji"], bottom: 0 },
      grid: { left: 60, right: 10, top: 10, bottom: 40 },
      xAxis: { type: "category", data: ["Wirausaha baru", "Wirausaha perempuan"] },
      yAxis: { type: "value" },
      series: [
        { name: "Capaian", type: "bar", data: [p.new, p.women] },
        { name: "Janji", type: "bar", data: [p.target_new, p.target_women] },
      ],
    });
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
