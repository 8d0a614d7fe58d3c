// Choropleth of businesses per kecamatan (ECharts), data from the page (json_script).
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("enterprise-map");
    var source = document.getElementById("enterprise-map-data");
    if (!el || !source || !window.echarts) { return; }
    var rows = JSON.parse(source.textContent);
    fetch(el.dataset.geojson, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        window.echarts.registerMap("kecamatan", geo);
        var max = rows.reduce(function (m, r) { return Math.max(m, r.value); }, 1);
        var chart = window.sikumiChart(window.echarts.init(el));
        chart.setOption({
          tooltip: { trigger: "item", formatter: function (p) {
            var v = (p.data && p.data.value) || 0;
            return p.name + "<br>" + el.dataset.label + ": " + v.toLocaleString("id-ID");
          } },
          visualMap: { min: 0, max: max, calculable: true, left: "left", bottom: 10 },
          series: [{ type: "map", map: "kecamatan", nameProperty: "name", roam: true,
            data: rows.map(function (r) { return { name: r.name, value: r.value, code: r.code }; }) }]
        });
        chart.on("click", function (p) {
          if (p.data && p.data.code) { window.location = "../?kecamatan=" + encodeURIComponent(p.data.code); }
        });
        window.addEventListener("resize", function () { chart.resize(); });
      });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
