// Small behaviours that CSP forbids inline: submit a form when its select changes.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form?.submit();
  }
});

// Demo login page: clicking a demo e-mail fills the login form.
document.addEventListener("click", (event) => {
  const target = event.target;
  if (target instanceof HTMLElement && target.classList.contains("demo-login")) {
    const email = document.getElementById("email");
    const password = document.getElementById("password");
    if (email instanceof HTMLInputElement) email.value = target.textContent?.trim() ?? "";
    if (password instanceof HTMLInputElement) password.focus();
  }
});

// Charts: a container with data-chart and its data in attributes (CSP allows no inline script).
const DECISION_COLOURS = { clear: "#2e7d32", review: "#ef8f00", report: "#c62828" };
function drawCharts() {
  const echarts = window.echarts;
  if (!echarts) return;
  document.querySelectorAll("[data-chart='decisions']").forEach((element) => {
    const values = JSON.parse(element.getAttribute("data-values") || "{}");
    const labels = JSON.parse(element.getAttribute("data-labels") || "{}");
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0 },
      series: [{
        type: "pie",
        radius: ["45%", "70%"],
        label: { formatter: "{b}: {c}", fontSize: 13 },
        data: ["clear", "review", "report"].map((key) => ({
          name: labels[key] || key,
          value: values[key] || 0,
          itemStyle: { color: DECISION_COLOURS[key] },
        })),
      }],
    });
    window.addEventListener("resize", () => chart.resize());
  });
}
// Declared quantities against annual legitimate requirements: one pair of bars per substance.
function drawRequirementCharts() {
  const echarts = window.echarts;
  if (!echarts) return;
  document.querySelectorAll("[data-chart='alr-use']").forEach((element) => {
    const values = JSON.parse(element.getAttribute("data-values") || "{}");
    const labels = JSON.parse(element.getAttribute("data-labels") || "{}");
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 8, right: 24, top: 8, bottom: 32, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: values.names || [], inverse: true },
      series: [
        { name: labels.requirement, type: "bar", data: values.requirement || [], itemStyle: { color: "#90a4ae" } },
        { name: labels.declared, type: "bar", data: values.declared || [], itemStyle: { color: "#1565c0" } },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  });
}
window.addEventListener("load", drawCharts);
window.addEventListener("load", drawRequirementCharts);
