// The "my reports" chart: counts per status from the container's data attributes (CSP: no inline).
(function () {
  function draw() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart='report-status']").forEach(function (element) {
      var values = JSON.parse(element.dataset.values || "{}");
      var labels = JSON.parse(element.dataset.labels || "{}");
      var keys = Object.keys(values);
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        grid: { left: 90, right: 10, top: 5, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: keys.map(function (k) { return labels[k] || k; }) },
        series: [{ type: "bar", data: keys.map(function (k) { return values[k]; }), itemStyle: { color: "#3b6ea8" } }],
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
