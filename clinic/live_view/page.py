"""The live view's page: one self-contained HTML document.

Inline style and script; nothing is fetched but the event stream of the same server (``/events``, with the page's
own token).
"""

from __future__ import annotations

PAGE_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>motorplay live view</title>
<style>
 body { font-family: system-ui, sans-serif; margin: 1.2em; background: #f6f7f9; color: #1d2733; }
 h1 { font-size: 1.3em; margin: 0 0 .6em; }
 .facts { display: grid; grid-template-columns: repeat(4, minmax(8em, 1fr)); gap: .6em; margin-bottom: 1em; }
 .fact { background: #fff; border-radius: 6px; padding: .5em .8em; box-shadow: 0 1px 2px #0002; }
 .fact b { display: block; font-size: .75em; color: #5a6572; font-weight: normal; }
 .fact span { font-size: 1.2em; }
 .row { display: flex; gap: 1em; align-items: flex-start; flex-wrap: wrap; }
 canvas { background: #fff; border-radius: 6px; box-shadow: 0 1px 2px #0002; }
 .list { background: #fff; border-radius: 6px; padding: .5em .8em; min-width: 18em; box-shadow: 0 1px 2px #0002; }
 .list h2 { font-size: 1em; margin: .2em 0 .4em; }
 .list ol { margin: 0; padding-left: 1.4em; max-height: 14em; overflow-y: auto; }
 .break { color: #b3261e; }
 #status.off { color: #b3261e; }
 small { color: #5a6572; }
</style>
</head>
<body>
<h1>motorplay live view <small id="status" class="off">connecting...</small></h1>
<div class="facts">
 <div class="fact"><b>Patient</b><span id="patient">-</span></div>
 <div class="fact"><b>Level</b><span id="level">-</span></div>
 <div class="fact"><b>Trial</b><span id="trial">-</span></div>
 <div class="fact"><b>Screen</b><span id="scene">-</span></div>
</div>
<div class="row">
 <div><canvas id="trace" width="480" height="300" aria-label="live trace"></canvas><br>
  <small id="trace-label">trace: waiting for movement</small></div>
 <div class="list"><h2>Breaks marked live: <span id="break-count">0</span></h2><ol id="breaks"></ol></div>
 <div class="list"><h2>Trials</h2><ol id="results"></ol></div>
</div>
<p><small>Events arrive <span id="delay">-</span> after the game sent them.</small></p>
<script>
"use strict";
const TRACE_POINTS = 240;      // the last 12 s at 20 samples a second
const HEAD_RANGE_DEG = 45;     // the head trace spans +-45 degrees of yaw (across) and pitch (down)
const trace = [];
const breakMarks = [];
let traceKind = null;
let breakCount = 0;
const $ = (id) => document.getElementById(id);

function toCanvas(point) {
  const canvas = $("trace");
  if (traceKind === "head") {
    const x = 0.5 + point[0] / (2 * HEAD_RANGE_DEG), y = 0.5 + point[1] / (2 * HEAD_RANGE_DEG);
    return [x * canvas.width, y * canvas.height];
  }
  return [point[0] * canvas.width, point[1] * canvas.height];
}

function draw() {
  const canvas = $("trace"), ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = "#2f6fb3"; ctx.lineWidth = 2; ctx.beginPath();
  trace.forEach((p, i) => { const [x, y] = toCanvas(p); if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
  ctx.stroke();
  if (trace.length) {
    const [x, y] = toCanvas(trace[trace.length - 1]);
    ctx.fillStyle = "#2f6fb3"; ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.fill();
  }
  ctx.strokeStyle = "#b3261e"; ctx.lineWidth = 3;
  for (const p of breakMarks) {
    const [x, y] = toCanvas(p); ctx.beginPath(); ctx.arc(x, y, 10, 0, 2 * Math.PI); ctx.stroke();
  }
}

function addItem(list, text, cls) {
  const item = document.createElement("li");
  item.textContent = text;
  if (cls) item.className = cls;
  $(list).appendChild(item);
  item.scrollIntoView({block: "nearest"});
}

function showDelay(event) {
  const delay = Date.now() / 1000 - event.published_unix_s;
  $("delay").textContent = (delay * 1000).toFixed(0) + " ms";
}

const handlers = {
  session(e) { $("patient").textContent = e.patient; },
  scene(e) { $("scene").textContent = e.scene; },
  level(e) {
    $("level").textContent = e.title + " (" + e.level + ")";
    trace.length = 0; breakMarks.length = 0; draw();
  },
  trial(e) { $("trial").textContent = e.trial + " of " + e.trials; },
  sample(e) {
    if (traceKind !== e.effector) { traceKind = e.effector; trace.length = 0; breakMarks.length = 0; }
    trace.push(e.at);
    if (trace.length > TRACE_POINTS) trace.shift();
    $("trace-label").textContent = e.effector === "head"
      ? "trace: head yaw (across) and pitch (down), +-" + HEAD_RANGE_DEG + " degrees"
      : "trace: cursor on the game screen";
    draw();
  },
  break(e) {
    breakCount += 1;
    $("break-count").textContent = breakCount;
    addItem("breaks", "trial " + e.trial + ": break at " + e.t_s.toFixed(1) + " s of " + e.level, "break");
    if (e.at) { breakMarks.push(e.at); draw(); }
  },
  result(e) {
    const breaks = e.breaks === null ? "" : "; analysed after it: " + e.breaks + " break" + (e.breaks === 1 ? "" : "s");
    addItem("results", e.level + " trial " + e.trial + ": " + e.outcome + ", " + e.points + " points, "
      + e.duration_s.toFixed(1) + " s" + breaks);
  },
};

function connect() {
  const token = new URLSearchParams(location.search).get("token") || "";
  const source = new EventSource("events?token=" + encodeURIComponent(token));
  source.onopen = () => { $("status").textContent = "live"; $("status").className = ""; };
  source.onerror = () => { $("status").textContent = "disconnected: retrying"; $("status").className = "off"; };
  for (const kind of Object.keys(handlers)) {
    source.addEventListener(kind, (message) => {
      const event = JSON.parse(message.data);
      handlers[kind](event);
      showDelay(event);
    });
  }
}
draw();
connect();
</script>
</body>
</html>
"""
