// Charts of the notification statistics page (CSP allows no inline script).
(function () {
  function draw() {
    const echarts = window.echarts;
    if (!echarts) return;
    document.querySelectorAll("[data-chart='pen-months']").forEach((element) => {
      const values = JSON.parse(element.getAttribute("data-values") || "{}");
      const labels = JSON.parse(element.getAttribute("data-labels") || "{}");
      const colours = { sent: "#90a4ae", acknowledged: "#1565c0", cleared: "#2e7d32", objected: "#c62828", no_response: "#ef8f00", withdrawn: "#757575" };
      const chart = echarts.init(element, null, { renderer: "svg" });
      const series = Object.keys(values.by_month || {}).map((status) => ({
        name: labels[status] || status, type: "bar", stack: "n", data: values.by_month[status], itemStyle: { color: colours[status] },
      }));
      series.push({ name: labels.response_days, type: "line", yAxisIndex: 1, data: values.mean_response_days, connectNulls: true, itemStyle: { color: "#000" } });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { bottom: 0 },
        grid: { left: 8, right: 8, top: 24, bottom: 48, containLabel: true },
        xAxis: { type: "category", data: values.months || [] },
        yAxis: [{ type: "value", name: labels.count, minInterval: 1 }, { type: "value", name: labels.response_days }],
        series: series,
      });
      window.addEventListener("resize", () => chart.resize());
    });
    document.querySelectorAll("[data-chart='pen-pairs']").forEach((element) => {
      const pairs = JSON.parse(element.getAttribute("data-values") || "[]");
      const chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: pairs.map((p) => p[0]), inverse: true },
        series: [{ type: "bar", data: pairs.map((p) => p[1]), itemStyle: { color: "#1565c0" } }],
      });
      window.addEventListener("resize", () => chart.resize());
    });
  }
  window.addEventListener("load", draw);
})();
