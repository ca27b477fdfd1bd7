// The "my reports" chart: counts per status from the container's data attributes (CSP: no inline).
(function () {
  function draw() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart='report-status']").forEach(function (element) {
      // [status, count] pairs in workflow order (a JSON object would be sorted by name).
      var pairs = JSON.parse(element.dataset.values || "[]");
      var labels = JSON.parse(element.dataset.labels || "{}");
      var keys = pairs.map(function (p) { return p[0]; });
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        grid: { left: 90, right: 10, top: 5, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: keys.map(function (k) { return labels[k] || k; }) },
        series: [{ type: "bar", data: pairs.map(function (p) { return p[1]; }), itemStyle: { color: "#3b6ea8" } }],
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
