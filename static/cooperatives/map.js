// Cooperatives per kecamatan (choropleth) with the located cooperatives as points.
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("cooperative-map");
  const source = document.getElementById("cooperative-map-data");
  if (!holder || !source || typeof window.echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  fetch(data.geojson_url, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((geojson) => {
      window.echarts.registerMap("kecamatan", geojson);
      const chart = window.sikumiChart(window.echarts.init(holder));
      const max = Math.max(1, ...data.counts.map((row) => row.value));
      chart.setOption({
        tooltip: { trigger: "item" },
        visualMap: { min: 0, max: max, left: "left", bottom: 10, calculable: true, seriesIndex: 0 },
        geo: { map: "kecamatan", roam: true },
        series: [
          { type: "map", map: "kecamatan", geoIndex: 0, data: data.counts },
          {
            type: "scatter",
            coordinateSystem: "geo",
            symbolSize: 5,
            data: data.points.map((p) => ({ name: p[2], value: [p[0], p[1]], id: p[3] })),
          },
        ],
      });
      chart.on("click", (params) => {
        if (params.seriesType === "scatter" && params.data && params.data.id) {
          window.location.href = "/koperasi/" + params.data.id + "/";
        }
      });
      window.addEventListener("resize", () => chart.resize());
    });
});
