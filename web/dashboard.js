// activityd dashboard: a live table of activities, a sky map in the
// Hammer–Aitoff projection with each field of view drawn, and per-source
// health. Plain JavaScript, no build step.
"use strict";

const MAX_ROWS = 500;
const seen = new Map(); // id -> revision
const palette = ["#58a6ff", "#3fb950", "#d29922", "#f85149", "#bc8cff", "#39c5cf", "#ff7b72", "#e3b341"];
const colours = new Map();
const svgNS = "http://www.w3.org/2000/svg";
const DEG = Math.PI / 180;

function colour(source) {
  if (!colours.has(source)) colours.set(source, palette[colours.size % palette.length]);
  return colours.get(source);
}

// hammer projects (ra, dec) in degrees to the plane: x in [-2√2, 2√2],
// y in [-√2, √2], north up (SVG y grows downwards, hence the sign), RA
// increasing to the left with RA 0 in the middle.
function hammer(ra, dec) {
  let lon = ((ra + 180) % 360 + 360) % 360 - 180; // (-180, 180]
  lon = -lon * DEG;
  const lat = dec * DEG;
  const d = Math.sqrt(1 + Math.cos(lat) * Math.cos(lon / 2));
  return [2 * Math.SQRT2 * Math.cos(lat) * Math.sin(lon / 2) / d, -Math.SQRT2 * Math.sin(lat) / d];
}

function pathOf(points) {
  let s = "", prev = null;
  for (const p of points) {
    // break the line where it wraps round the map's edge
    const jump = prev && Math.abs(p[0] - prev[0]) > 1;
    s += (prev && !jump ? "L" : "M") + p[0].toFixed(4) + " " + p[1].toFixed(4);
    prev = p;
  }
  return s;
}

function drawGrid() {
  const g = document.getElementById("grid");
  const add = (d, cls) => { const p = document.createElementNS(svgNS, "path"); p.setAttribute("d", d); if (cls) p.setAttribute("class", cls); g.appendChild(p); };
  for (let dec = -60; dec <= 60; dec += 30) {
    const pts = []; for (let ra = -179.9; ra <= 180; ra += 2) pts.push(hammer(ra, dec)); add(pathOf(pts));
  }
  for (let ra = 0; ra < 360; ra += 30) {
    if (ra === 180) continue;
    const pts = []; for (let dec = -90; dec <= 90; dec += 2) pts.push(hammer(ra, dec)); add(pathOf(pts));
    const [x, y] = hammer(ra, 0); const t = document.createElementNS(svgNS, "text");
    t.setAttribute("x", x + 0.02); t.setAttribute("y", y - 0.02); t.textContent = (ra / 15) + "h"; g.appendChild(t);
  }
  const left = [], right = [];
  for (let dec = -90; dec <= 90; dec += 1) { left.push(hammer(180.0001, dec)); right.push(hammer(179.9999, dec)); }
  add(pathOf(left), "outline"); add(pathOf(right), "outline");
}

// circle returns the points of a small circle of radius r (deg) round
// (ra, dec), for drawing a field of view.
function circle(ra, dec, r) {
  const pts = [];
  const a0 = ra * DEG, d0 = dec * DEG, rr = r * DEG;
  for (let i = 0; i <= 36; i++) {
    const t = i / 36 * 2 * Math.PI;
    const d = Math.asin(Math.sin(d0) * Math.cos(rr) + Math.cos(d0) * Math.sin(rr) * Math.cos(t));
    const a = a0 + Math.atan2(Math.sin(t) * Math.sin(rr) * Math.cos(d0), Math.cos(rr) - Math.sin(d0) * Math.sin(d));
    pts.push(hammer(a / DEG, d / DEG));
  }
  return pts;
}

function addMark(a) {
  const t = a.target || {};
  if (t.ra == null || t.dec == null) return;
  const old = document.querySelector(`#marks [data-id="${CSS.escape(a.id)}"]`);
  if (old) old.remove();
  const g = document.createElementNS(svgNS, "g");
  g.setAttribute("class", "mark");
  g.setAttribute("data-id", a.id);
  g.setAttribute("stroke", colour(a.source));
  g.setAttribute("fill", colour(a.source));
  const title = document.createElementNS(svgNS, "title");
  title.textContent = `${a.facility} ${a.instrument || ""} — ${t.name || "?"} (${t.ra.toFixed(3)}, ${t.dec.toFixed(3)})`;
  g.appendChild(title);
  // The field of view as drawn on the sky; a marker of fixed size keeps
  // fields of a few arcminutes visible at this scale.
  if (t.fov_radius > 0.3) {
    const p = document.createElementNS(svgNS, "path");
    p.setAttribute("d", pathOf(circle(t.ra, t.dec, t.fov_radius)) + "Z");
    g.appendChild(p);
  }
  const [x, y] = hammer(t.ra, t.dec);
  const c = document.createElementNS(svgNS, "circle");
  c.setAttribute("cx", x); c.setAttribute("cy", y); c.setAttribute("r", 0.025);
  g.appendChild(c);
  document.getElementById("marks").appendChild(g);
}

function cell(tr, text, cls) { const td = document.createElement("td"); td.textContent = text == null ? "" : text; if (cls) td.className = cls; tr.appendChild(td); }

function addRow(a, live) {
  const body = document.querySelector("#activities tbody");
  const old = body.querySelector(`tr[data-id="${CSS.escape(a.id)}"]`);
  if (old) old.remove();
  const tr = document.createElement("tr");
  tr.dataset.id = a.id;
  if (live) tr.className = "new";
  const t = a.target || {};
  cell(tr, a.start ? a.start.replace("T", " ").replace("Z", "") : "");
  cell(tr, a.kind, "kind-" + a.kind);
  cell(tr, a.source);
  cell(tr, a.facility);
  cell(tr, a.instrument);
  cell(tr, t.name);
  cell(tr, t.ra == null ? "" : t.ra.toFixed(4));
  cell(tr, t.dec == null ? "" : t.dec.toFixed(4));
  cell(tr, a.programme ? a.programme.id : "");
  if (live) body.prepend(tr); else body.appendChild(tr);
  while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
}

function add(a, live) {
  if (seen.has(a.id) && seen.get(a.id) >= a.revision) return;
  seen.set(a.id, a.revision);
  addRow(a, live);
  addMark(a);
  document.getElementById("count").textContent = seen.size + " activities";
}

function setStatus(text, ok) {
  const s = document.getElementById("status");
  s.textContent = text; s.className = "status " + (ok ? "ok" : "bad");
}

async function loadRecent() {
  try {
    const r = await fetch("/api/activities?limit=200");
    const j = await r.json();
    for (const a of j.activities || []) add(a, false);
  } catch (e) { setStatus("REST error: " + e, false); }
}

function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/activities/live`);
  // The history is read once the stream is open, so that nothing arriving
  // in between is lost (add() drops what it has already seen).
  ws.onopen = () => { setStatus("live", true); loadRecent(); };
  ws.onmessage = (ev) => { try { add(JSON.parse(ev.data), true); } catch (e) { console.error(e); } };
  ws.onclose = () => { setStatus("disconnected; reconnecting…", false); setTimeout(connect, 2000); };
}

async function loadSources() {
  try {
    const r = await fetch("/api/sources");
    const j = await r.json();
    const body = document.querySelector("#sources tbody");
    body.replaceChildren();
    for (const s of j.sources || []) {
      const tr = document.createElement("tr");
      tr.dataset.source = s.name;
      const name = document.createElement("td");
      const sw = document.createElement("span"); sw.textContent = "● "; sw.style.color = colour(s.name);
      name.append(sw, s.name); tr.appendChild(name);
      cell(tr, s.state + (s.replay_done ? " (replayed)" : ""), "state-" + s.state);
      cell(tr, s.polls); cell(tr, s.failures); cell(tr, s.announced);
      cell(tr, s.last_poll ? new Date(s.last_poll).toISOString().slice(11, 19) : "");
      cell(tr, s.last_error || "");
      body.appendChild(tr);
    }
  } catch (e) { /* keep the last table */ }
}

drawGrid();
connect();
loadSources();
setInterval(loadSources, 2000);
