// Almanac model server dashboard: reads /v1/models, then per model either the forecast chart
// (history, holdout actual vs predicted, forecast) or the symptom form. Query parameters
// ?model=&series=&symptoms=a,b preselect a view (used by the browser test).
"use strict";

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
let models = [];
let current = null;
let chart = null;
const chosen = [];

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c]));
}

async function call(path, body) {
  const opts = body === undefined ? {} : {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body)};
  const r = await fetch(path, opts);
  const json = await r.json();
  if (!r.ok) {
    throw new Error(json.error || ("HTTP " + r.status));
  }
  return json;
}

function status(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function metricsTable(metrics) {
  const keys = Object.keys(metrics || {});
  if (keys.length === 0) {
    return "<p>No metrics recorded.</p>";
  }
  const row = (k) => "<tr><td>" + esc(k) + "</td><td>" + (metrics[k] === null ? "–" : Number(metrics[k]).toPrecision(4)) + "</td></tr>";
  const table = (ks) => "<table><tr><th>metric</th><th>value</th></tr>" + ks.map(row).join("") + "</table>";
  // Headline figures first (mean MASE per model, accuracy); the full list stays one click away so
  // the chart is not pushed below dozens of rows.
  const headline = keys.filter((k) => /mean_mase$|\.mase$|accuracy$/i.test(k));
  if (headline.length === 0 || headline.length === keys.length) {
    return table(keys);
  }
  return table(headline) + "<details><summary>All " + keys.length + " metrics</summary>" + table(keys) + "</details>";
}

function showSummary(m) {
  const info = Object.entries(m.info || {}).map(([k, v]) => "<span><b>" + esc(k) + "</b>" + esc(v) + "</span>").join("");
  $("summary").innerHTML = "<h2>" + esc(m.name) + " <small>version " + esc(m.version) + " · " + esc(m.task) + "</small></h2>" +
    "<div class='kv'><span><b>source</b>" + esc(m.source) + "</span><span><b>loaded</b>" + esc(m.loadedAt) + "</span>" + info + "</div>" +
    "<h3>Holdout / test metrics</h3>" + metricsTable(m.metrics);
}

function select(m) {
  current = m;
  document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.name === m.name));
  showSummary(m);
  $("forecast").hidden = m.task !== "forecast";
  $("classifier").hidden = m.task !== "classification";
  if (m.task === "forecast") {
    const s = $("series");
    s.innerHTML = m.series.map((x) => "<option>" + esc(x) + "</option>").join("");
    if (params.get("series") && m.series.includes(params.get("series"))) {
      s.value = params.get("series");
    }
    $("horizon").value = m.defaultHorizon;
    $("horizon").max = m.maxHorizon;
    drawForecast();
  } else {
    $("symptom-list").innerHTML = m.symptoms.map((x) => "<option value='" + esc(x) + "'>").join("");
    $("topk").max = m.classes;
    chosen.length = 0;
    (params.get("symptoms") || "").split(",").filter((x) => x).forEach(addSymptom);
    renderChosen();
    if (chosen.length > 0) {
      predict();
    }
  }
}

/** Earlier versions' forecasts against the actuals that arrived: days scored and MAE per version. */
function realizedTable(realized) {
  if (realized.length === 0) {
    return "";
  }
  const rows = realized.map((r) => {
    const errors = r.dates.map((d, i) => Math.abs(r.forecast[i] - r.actual[i])).filter((e) => Number.isFinite(e));
    const mae = errors.reduce((a, b) => a + b, 0) / Math.max(errors.length, 1);
    return "<tr><td>v" + esc(r.version) + "</td><td>" + esc(r.dates[0]) + " … " + esc(r.dates[r.dates.length - 1])
      + "</td><td>" + r.dates.length + "</td><td>" + mae.toFixed(2) + "</td></tr>";
  }).join("");
  return "<h3 id='realized-title'>Earlier forecasts vs actuals</h3><table class='realized'><tr><th>version</th><th>days</th>"
    + "<th>n</th><th>MAE</th></tr>" + rows + "</table>";
}

async function drawForecast() {
  const m = current;
  const series = $("series").value;
  const horizon = parseInt($("horizon").value, 10);
  status("loading " + series + " …");
  try {
    const [view, fc] = await Promise.all([
      call("/v1/models/" + encodeURIComponent(m.name) + "/series/" + encodeURIComponent(series)),
      call("/v1/forecast", {model: m.name, series: series, horizon: horizon}),
    ]);
    const pairs = (dates, values) => dates.map((d, i) => [d, values[i]]);
    if (chart === null) {
      chart = echarts.init($("chart"), null, {renderer: "svg"});
      window.addEventListener("resize", () => chart.resize());
    }
    chart.setOption({
      animation: false,
      title: {text: series + " · " + m.name + " v" + m.version, left: "center", textStyle: {fontSize: 14}},
      tooltip: {trigger: "axis"},
      legend: {top: 26},
      grid: {left: 70, right: 30, top: 60, bottom: 60},
      xAxis: {type: "time"},
      yAxis: {type: "value", scale: true},
      dataZoom: [{type: "inside"}, {type: "slider", height: 18, bottom: 12}],
      series: [
        {name: "history", type: "line", showSymbol: false, lineStyle: {color: "#8a94a3", width: 1}, itemStyle: {color: "#8a94a3"},
          data: pairs(view.history.dates, view.history.values)},
        {name: "holdout actual", type: "line", showSymbol: false, lineStyle: {color: "#1f6feb", width: 2}, itemStyle: {color: "#1f6feb"},
          data: pairs(view.holdout.dates, view.holdout.actual)},
        {name: "holdout predicted", type: "line", showSymbol: false, lineStyle: {color: "#f08c00", type: "dashed", width: 2},
          itemStyle: {color: "#f08c00"}, data: pairs(view.holdout.dates, view.holdout.predicted)},
        {name: "forecast", type: "line", showSymbol: false, lineStyle: {color: "#2f9e44", width: 2.5}, itemStyle: {color: "#2f9e44"},
          data: pairs(fc.dates, fc.values)},
        // earlier versions' forecasts, scored against the actuals that arrived since (realized accuracy)
        ...(view.realized || []).map((r) => ({name: "v" + r.version + " forecast vs actual", type: "line", showSymbol: true,
          symbolSize: 5, lineStyle: {color: "#c2255c", type: "dotted", width: 2}, itemStyle: {color: "#c2255c"},
          data: pairs(r.dates, r.forecast)})),
      ].concat(bands(fc, pairs)),
    }, true);
    $("series-metrics").innerHTML = "<h3>" + esc(series) + " holdout metrics</h3>" + metricsTable(view.metrics)
      + realizedTable(view.realized || []);
    document.body.dataset.realized = String((view.realized || []).length);
    document.body.dataset.rendered = "forecast";
    status("forecast of " + series + ": " + fc.values.length + " days from " + fc.dates[0] + " (model " + fc.model + " v" + fc.version + ")");
  } catch (e) {
    status(e.message, true);
  }
}

// Prediction-interval bands of a /v1/forecast reply (widest first): an invisible lower line and the
// band's height stacked on it, so the area fills between the bounds.
function bands(fc, pairs) {
  const out = [];
  const ivs = (fc.intervals || []).slice().sort((a, b) => b.level - a.level);
  for (const iv of ivs) {
    const name = Math.round(iv.level * 100) + "% interval";
    const stack = "band" + iv.level;
    out.push({name: name, type: "line", stack: stack, showSymbol: false, lineStyle: {opacity: 0}, silent: true,
      tooltip: {show: false}, data: pairs(fc.dates, iv.lower)});
    out.push({name: name, type: "line", stack: stack, showSymbol: false, lineStyle: {opacity: 0},
      itemStyle: {color: "#2f9e44"}, areaStyle: {color: "#2f9e44", opacity: iv.level >= 0.9 ? 0.12 : 0.22},
      tooltip: {show: false}, data: pairs(fc.dates, iv.upper.map((u, i) => u - iv.lower[i]))});
  }
  return out;
}

function addSymptom(name) {
  const n = name.trim();
  if (n && !chosen.includes(n)) {
    chosen.push(n);
  }
}

function renderChosen() {
  $("chosen").innerHTML = chosen.map((s, i) => "<span class='chip'>" + esc(s) + "<button data-i='" + i + "' aria-label='remove'>×</button></span>").join("");
  $("chosen").querySelectorAll("button").forEach((b) => b.addEventListener("click", () => {
    chosen.splice(parseInt(b.dataset.i, 10), 1);
    renderChosen();
  }));
}

async function predict() {
  status("predicting …");
  try {
    const r = await call("/v1/predict", {model: current.name, symptoms: chosen, topK: parseInt($("topk").value, 10)});
    $("result").innerHTML = "<table id='predictions'><tr><th>disease</th><th>probability</th><th>description</th><th>precautions</th></tr>" +
      r.predictions.map((p) => "<tr class='prediction'><td><b>" + esc(p.disease) + "</b></td><td><span class='bar' style='width:" +
        Math.round(p.probability * 120) + "px'></span> " + (p.probability * 100).toFixed(1) + "%</td><td>" + esc(p.description) +
        "</td><td>" + p.precautions.map(esc).join("; ") + "</td></tr>").join("") + "</table>";
    document.body.dataset.rendered = "classification";
    status("top " + r.predictions.length + " for " + chosen.join(", ") + " (model " + r.model + " v" + r.version + ")");
  } catch (e) {
    $("result").innerHTML = "";
    status(e.message, true);
  }
}

async function init() {
  try {
    models = (await call("/v1/models")).models;
  } catch (e) {
    status("cannot list models: " + e.message, true);
    return;
  }
  if (models.length === 0) {
    status("no model is served yet", true);
    return;
  }
  $("models").innerHTML = models.map((m) => "<button data-name='" + esc(m.name) + "'>" + esc(m.name) + "</button>").join("");
  document.querySelectorAll("nav button").forEach((b) => b.addEventListener("click", () => select(models.find((m) => m.name === b.dataset.name))));
  $("series").addEventListener("change", drawForecast);
  $("refresh").addEventListener("click", drawForecast);
  $("predict").addEventListener("click", predict);
  $("symptom-input").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      addSymptom(ev.target.value);
      ev.target.value = "";
      renderChosen();
    }
  });
  $("symptom-input").addEventListener("change", (ev) => {
    if (current.symptoms.includes(ev.target.value)) {
      addSymptom(ev.target.value);
      ev.target.value = "";
      renderChosen();
    }
  });
  select(models.find((m) => m.name === params.get("model")) || models[0]);
}

init();
