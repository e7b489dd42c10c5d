/* 指标看板: draws the page's charts with the vendored Chart.js from the JSON the page carries
   (json_script "indicator-charts"); no inline script under the CSP. Every chart has its data
   table on the page, so a browser without canvas loses nothing. */
(function () {
  "use strict";

  function percent(value) {
    return value === null || value === undefined ? "—" : value.toFixed(2) + "%";
  }

  function trend(canvas, spec) {
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s) {
          return {
            label: s.name,
            data: s.data,
            borderColor: s.colour,
            backgroundColor: s.colour,
            spanGaps: false,
            tension: 0.2,
            pointRadius: 3
          };
        })
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + percent(ctx.parsed.y); } } }
        }
      }
    });
  }

  function ranking(canvas, spec) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: [{ label: spec.label, data: spec.data, backgroundColor: spec.colour }]
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (ctx) { return spec.label + ": " + percent(ctx.parsed.x); } } }
        }
      }
    });
  }

  function draw() {
    var source = document.getElementById("indicator-charts");
    if (!source || !window.Chart) {
      return;
    }
    var charts = JSON.parse(source.textContent);
    window.Chart.defaults.font.family = '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.getAttribute("data-chart")];
      if (!spec) {
        return;
      }
      if (spec.type === "trend") {
        trend(canvas, spec);
      } else {
        ranking(canvas, spec);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
