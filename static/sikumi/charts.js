// Indonesian numbers in every ECharts chart: ECharts writes "5,000" and "2.5" by itself; with
// sikumiChartOption(option) value axes, tooltips and visual maps write "5.000" and "2,5"
// (Intl.NumberFormat("id-ID")). Chart scripts wrap their chart: sikumiChart(echarts.init(el)).
(function () {
  "use strict";
  const formatter = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });

  function formatNumber(value) {
    if (value === null || value === undefined || value === "" || Number.isNaN(Number(value))) {
      return "-";
    }
    return formatter.format(Number(value));
  }

  function asList(value) {
    if (!value) return [];
    return Array.isArray(value) ? value : [value];
  }

  function sikumiChartOption(option) {
    asList(option.xAxis).concat(asList(option.yAxis)).forEach((axis) => {
      if (axis.type !== "value") return;
      axis.axisLabel = Object.assign({ formatter: formatNumber }, axis.axisLabel || {});
    });
    asList(option.tooltip).forEach((tooltip) => {
      if (!tooltip.formatter && !tooltip.valueFormatter) tooltip.valueFormatter = formatNumber;
    });
    asList(option.visualMap).forEach((visualMap) => {
      if (!visualMap.formatter) {
        visualMap.formatter = (value, end) =>
          end === undefined ? formatNumber(value) : `${formatNumber(value)} - ${formatNumber(end)}`;
      }
    });
    return option;
  }

  // A chart whose every setOption goes through sikumiChartOption, and that follows the size of
  // its box (a phone turned sideways, the menu opened, a window resized).
  function sikumiChart(chart) {
    const setOption = chart.setOption.bind(chart);
    chart.setOption = (option, ...rest) => setOption(sikumiChartOption(option), ...rest);
    if (window.ResizeObserver && chart.getDom) {
      new ResizeObserver(() => { if (!chart.isDisposed()) chart.resize(); }).observe(chart.getDom());
    }
    return chart;
  }

  window.sikumiFormatNumber = formatNumber;
  window.sikumiChart = sikumiChart;
  window.sikumiChartOption = sikumiChartOption;
})();
