// arcsecond dashboard: a timeline with one lane per facility, a sky map,
// a virtualized table and a target page, sharing one set of filters kept
// in the address. Plain JavaScript modules, no build step, no network but
// the node's own API and WebSocket.
import * as S from "./sky.js";
import * as L from "./layers.js";

const $ = (id) => document.getElementById(id);
const svgNS = "http://www.w3.org/2000/svg";
const HOUR = 3600e3, DAY = 24 * HOUR;
const MIN_SPAN = 12 * 3600, MAX_SPAN = 14 * 86400; // seconds
const KINDS = ["planned", "started", "completed", "archived"];
const ALL_KINDS = [...KINDS, "aborted", "unscheduled"];
const FILTERS = ["source", "facility", "instrument", "kind", "band", "q", "from", "to", "ra", "dec", "radius"];
const VIEWS = ["timeline", "sky", "table", "target", "subs"];

// ---- state, kept in the address ----
const state = {
  view: "timeline", f: {}, span: 86400, at: null, sel: null,
  tname: "", tra: "", tdec: "", site: "Paranal", date: "",
  skyc: 0, skyz: 1, skyy: 0,
  // the sky map's overlays: the selected alert, alerts shown, retracted
  // alerts shown, pointings shown
  asel: null, alerts: true, retracted: false, pointings: true,
};

function readURL() {
  const p = new URLSearchParams(location.search);
  state.view = VIEWS.includes(p.get("view")) ? p.get("view") : "timeline";
  state.f = {};
  for (const k of FILTERS) if (p.get(k)) state.f[k] = p.get(k);
  const span = Number(p.get("span"));
  state.span = span >= MIN_SPAN && span <= MAX_SPAN ? span : 86400;
  const at = p.get("at") ? Date.parse(p.get("at")) : NaN;
  state.at = Number.isFinite(at) ? at : null;
  state.sel = p.get("sel") || null;
  for (const k of ["tname", "tra", "tdec", "date"]) state[k] = p.get(k) || "";
  state.site = p.get("site") || "Paranal";
  state.skyc = Number(p.get("skyc")) || 0;
  state.skyz = Math.min(40, Math.max(1, Number(p.get("skyz")) || 1));
  state.skyy = Number(p.get("skyy")) || 0;
  state.asel = p.get("alert") || null;
  state.alerts = p.get("alerts") !== "0";
  state.retracted = p.get("retracted") === "1";
  state.pointings = p.get("pointings") !== "0";
}

function writeURL(push) {
  const p = new URLSearchParams();
  p.set("view", state.view);
  for (const k of FILTERS) if (state.f[k]) p.set(k, state.f[k]);
  if (state.span !== 86400) p.set("span", String(state.span));
  if (state.at != null) p.set("at", new Date(state.at).toISOString());
  if (state.sel) p.set("sel", state.sel);
  for (const k of ["tname", "tra", "tdec", "date"]) if (state[k]) p.set(k, state[k]);
  if (state.site !== "Paranal") p.set("site", state.site);
  if (state.skyc) p.set("skyc", state.skyc.toFixed(2));
  if (state.skyz !== 1) p.set("skyz", state.skyz.toFixed(2));
  if (state.skyy) p.set("skyy", state.skyy.toFixed(3));
  if (state.asel) p.set("alert", state.asel);
  if (!state.alerts) p.set("alerts", "0");
  if (state.retracted) p.set("retracted", "1");
  if (!state.pointings) p.set("pointings", "0");
  const url = "?" + p.toString();
  if (url === location.search) return;
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
}

// ---- the activities ----
const store = { byId: new Map(), version: 0, facets: { source: new Set(), facility: new Set(), instrument: new Set() }, facetsShown: 0 };
const queue = [];

function prepare(a) {
  a._s = a.start ? Date.parse(a.start) : NaN;
  a._e = a.end ? Date.parse(a.end) : NaN;
  const dur = a.exposure_s > 0 ? a.exposure_s * 1000 : 600e3;
  if (!Number.isFinite(a._e) && Number.isFinite(a._s)) a._e = a._s + dur;
  if (!Number.isFinite(a._s) && Number.isFinite(a._e)) a._s = a._e - dur;
  if (a._e < a._s) a._e = a._s;
  const t = a.target || {}, pr = a.programme || {};
  a._text = [t.name, pr.id, pr.title, pr.pi, a.dataset_id].filter(Boolean).join(" ").toLowerCase();
  a._pos = t.ra != null && t.dec != null;
  a._sky = null;
}

function ingest(list) {
  let changed = false;
  for (const a of list) {
    if (!a || !a.id) continue;
    const old = store.byId.get(a.id);
    if (old && old.revision >= a.revision) continue;
    prepare(a);
    store.byId.set(a.id, a);
    for (const k of ["source", "facility", "instrument"]) if (a[k]) store.facets[k].add(a[k]);
    changed = true;
  }
  if (changed) { store.version++; schedule(); }
  return changed;
}

// compileFilter turns the filters into a predicate, or throws an Error
// naming the bad field.
function compileFilter(f) {
  const eq = (k) => { const v = (f[k] || "").trim().toLowerCase(); return v ? (a) => (a[k] || "").toLowerCase() === v : null; };
  const tests = [eq("source"), eq("facility"), eq("instrument")].filter(Boolean);
  if (f.kind) { if (!ALL_KINDS.includes(f.kind)) throw new Error(`kind ${f.kind} is not one of ${ALL_KINDS.join(", ")}`); tests.push((a) => a.kind === f.kind); }
  if (f.band) {
    // The named bands come from the node (bands.json); until they have
    // arrived a band filter shows nothing rather than everything.
    if (!bands.list) tests.push(() => false);
    else {
      const b = L.findBand(bands.list, f.band);
      if (!b) throw new Error(`band “${f.band}” is not one of ${bands.list.map((x) => x.name).join(", ")}`);
      tests.push((a) => L.inBand(a, b));
    }
  }
  if (f.q) { const q = f.q.trim().toLowerCase(); tests.push((a) => a._text.includes(q)); }
  for (const [k, cmp] of [["from", (a, t) => a._e >= t], ["to", (a, t) => a._s <= t]]) {
    if (!f[k]) continue;
    const t = parseTime(f[k]);
    if (!Number.isFinite(t)) throw new Error(`${k} “${f[k]}” is not a date or an ISO 8601 time`);
    tests.push((a) => cmp(a, t));
  }
  if (f.ra || f.dec || f.radius) {
    const ra = Number(f.ra), dec = Number(f.dec), r = Number(f.radius);
    if (!(ra >= 0 && ra < 360)) throw new Error("cone: RA must be a number of degrees in [0, 360)");
    if (!(dec >= -90 && dec <= 90)) throw new Error("cone: Dec must be a number of degrees in [-90, 90]");
    if (!(r > 0 && r <= 180)) throw new Error("cone: radius must be a number of degrees in (0, 180]");
    tests.push((a) => a._pos && S.separation(ra, dec, a.target.ra, a.target.dec) <= r + (a.target.fov_radius || 0));
  }
  return (a) => { for (const t of tests) if (!t(a)) return false; return true; };
}

function parseTime(s) {
  s = s.trim();
  if (/^\d{4}-\d\d-\d\d$/.test(s)) s += "T00:00:00Z";
  else if (/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(s)) s += "Z";
  return Date.parse(s);
}

let cache = { key: "", all: [], lanes: [], byLane: new Map() };
function current() {
  const key = store.version + "|" + (bands.list ? 1 : 0) + "|" + JSON.stringify(state.f);
  if (cache.key === key) return cache;
  let pred;
  try { pred = compileFilter(state.f); $("filter-error").textContent = ""; } catch (e) { $("filter-error").textContent = e.message; pred = () => true; }
  const all = [];
  for (const a of store.byId.values()) if (pred(a)) all.push(a);
  all.sort((x, y) => (y._s || 0) - (x._s || 0) || (x.id < y.id ? -1 : 1));
  const byLane = new Map();
  for (let i = all.length - 1; i >= 0; i--) {
    const a = all[i];
    if (!Number.isFinite(a._s)) continue;
    const l = a.facility || "?";
    if (!byLane.has(l)) byLane.set(l, { items: [], maxDur: 0 });
    const lane = byLane.get(l);
    lane.items.push(a);
    lane.maxDur = Math.max(lane.maxDur, a._e - a._s);
  }
  const lanes = [...byLane.keys()].sort();
  cache = { key, all, lanes, byLane };
  return cache;
}

// ---- named bands, alerts, pointings ----
// The named bands of the band filter are the node's (bands.json, from
// activities.Bands): the filter keeps the activities whose bandpass
// overlaps the band, as GET /api/activities?band= does.
const bands = { list: null };
async function loadBands() {
  try {
    const r = await fetch("bands.json");
    const j = await r.json();
    bands.list = j.bands || [];
    $("filters").elements.band.replaceChildren(new Option("any", ""), ...bands.list.map((b) =>
      new Option(`${b.name} (${L.fmtWavelength(b.min_wavelength_m)} – ${L.fmtWavelength(b.max_wavelength_m)})`, b.name)));
    // an alias in the address ("x-ray") becomes the band's name
    const b = state.f.band && L.findBand(bands.list, state.f.band);
    if (b && b.name !== state.f.band) { state.f.band = b.name; writeURL(); }
    syncControls(); schedule();
  } catch (e) { $("filter-error").textContent = "The named bands could not be read: " + e; }
}

// The alerts: the latest revision of each (GET /api/alerts with the
// retracted ones, then /alerts/live).
const alertStore = { byId: new Map(), version: 0 };
function ingestAlerts(list) {
  let changed = false;
  for (const a of list) {
    if (!a || !a.id) continue;
    const old = alertStore.byId.get(a.id);
    if (old && old.revision >= a.revision) continue;
    a._t = a.trigger_time ? Date.parse(a.trigger_time) : NaN;
    a._rings = L.alertRings(a.localization);
    a._proj = null;
    alertStore.byId.set(a.id, a);
    if (a.id === state.asel && !state.sel) showAlertDetail(a);
    changed = true;
  }
  if (changed) { alertStore.version++; schedule(); }
  return changed;
}

// alertsInWindow returns the alerts whose trigger time is in the filters'
// time window, newest first (the other filters are about activities).
let alertCache = { key: "", all: [] };
function alertsInWindow() {
  const key = alertStore.version + "|" + (state.f.from || "") + "|" + (state.f.to || "");
  if (alertCache.key === key) return alertCache.all;
  const bound = (k, dflt) => { const t = state.f[k] ? parseTime(state.f[k]) : NaN; return Number.isFinite(t) ? t : dflt; };
  const from = bound("from", -Infinity), to = bound("to", Infinity);
  const all = [...alertStore.byId.values()].filter((a) => !(a._t < from) && !(a._t > to));
  all.sort((x, y) => (y._t || 0) - (x._t || 0) || (x.id < y.id ? -1 : 1));
  alertCache = { key, all };
  return all;
}
// alertOnMap: retracted alerts are drawn only when asked for.
function alertOnMap(a) { return state.alerts && !!a.localization && (a.status !== "retracted" || state.retracted); }

async function loadAlerts() {
  let cursor = "";
  try {
    for (let page = 0; page < 20; page++) {
      const r = await fetch("/api/alerts?include_retracted=true&limit=1000" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      if (!r.ok) return;
      const j = await r.json();
      ingestAlerts(j.alerts || []);
      if (!j.next) break;
      cursor = j.next;
    }
  } catch (e) { /* the map draws without alerts */ }
}

function connectAlerts() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/alerts/live`);
  // as for the activities, the history is read once the stream is open
  ws.onopen = () => loadAlerts();
  ws.onmessage = (ev) => { try { ingestAlerts([JSON.parse(ev.data)]); stats.liveAlerts = (stats.liveAlerts || 0) + 1; } catch (e) { console.error(e); } };
  ws.onclose = () => setTimeout(connectAlerts, 2000);
}

// pointings returns where each facility points now: per facility, the
// latest under-way activity of the filtered ones that carries a pointing
// (recomputed when the activities change, and every minute).
let pointCache = { key: "", list: [] };
function pointings(c) {
  const now = Date.now();
  const key = c.key + "|" + Math.floor(now / 60e3);
  if (pointCache.key !== key) pointCache = { key, list: L.pointingsNow(c.all, now) };
  return pointCache.list;
}

// ---- rendering, one frame at a time ----
const stats = { lanes: 0, timelineMarks: 0, skyMarks: 0, rows: 0, frames: [], lastFrameMs: 0, view: "" };
let scheduled = false;
function schedule() { if (!scheduled) { scheduled = true; requestAnimationFrame(frame); } }
function frame() {
  scheduled = false;
  const t0 = performance.now();
  if (queue.length) ingest(queue.splice(0));
  renderView();
  stats.lastFrameMs = performance.now() - t0;
  stats.frames.push(stats.lastFrameMs);
  if (stats.frames.length > 500) stats.frames.splice(0, 250);
}

function renderView() {
  const c = current();
  $("count").textContent = `${c.all.length} of ${store.byId.size} activities`;
  stats.view = state.view; stats.total = store.byId.size; stats.shown = c.all.length;
  if (state.view === "timeline") drawTimeline(c);
  else if (state.view === "sky") { drawSky(c); drawSkyLists(c); }
  else if (state.view === "table") drawTable(c);
  else if (state.view === "target") drawTargetActs(c);
  if (store.facetsShown !== store.version && performance.now() - (store.facetsAt || -1e9) > 2000) fillFacets();
}

// fillFacets offers the known sources, facilities and instruments in the
// filter fields (at most every 2 s).
function fillFacets() {
  store.facetsShown = store.version; store.facetsAt = performance.now();
  for (const k of ["source", "facility", "instrument"]) {
    const dl = $("dl-" + k);
    if (dl.childElementCount === store.facets[k].size) continue;
    dl.replaceChildren(...[...store.facets[k]].sort().slice(0, 300).map((v) => { const o = document.createElement("option"); o.value = v; return o; }));
  }
}

function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

function sizeCanvas(cv, cssHeight) {
  const dpr = window.devicePixelRatio || 1;
  const w = cv.clientWidth || cv.parentElement.clientWidth || 600;
  if (cssHeight) cv.style.height = cssHeight + "px";
  const h = cssHeight || cv.clientHeight || w / 2;
  if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) { cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr); }
  const ctx = cv.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h };
}

// ---- timeline ----
const LANE_H = 26, AXIS_H = 28;
let tl = { t0: 0, t1: 0, w: 0, hits: [], lanes: [] };

function windowCentre(c) {
  if (state.at != null) return { centre: state.at, follow: false };
  const now = Date.now(), half = state.span * 500;
  let latest = -Infinity, nearNow = false;
  for (const l of c.lanes) {
    const items = c.byLane.get(l).items;
    const last = items[items.length - 1];
    if (last) latest = Math.max(latest, last._s);
    if (!nearNow) nearNow = items.some((a) => a._e >= now - half && a._s <= now + half);
  }
  if (nearNow || !Number.isFinite(latest)) return { centre: now, follow: false };
  // recent data: end the window just after now, to show both
  if (latest > now - 1.7 * half && latest < now) return { centre: now - 0.7 * half, follow: false };
  return { centre: latest, follow: true };
}

function lowerBound(items, t) {
  let lo = 0, hi = items.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (items[m]._s < t) lo = m + 1; else hi = m; }
  return lo;
}

function drawTimeline(c) {
  const cv = $("tl");
  const lanes = c.lanes;
  const height = AXIS_H + Math.max(lanes.length, 3) * LANE_H + 4;
  const { ctx, w } = sizeCanvas(cv, height);
  const laneKey = lanes.join("\u0000");
  if (tl.laneKey !== laneKey) {
    tl.laneKey = laneKey;
    $("lanes").replaceChildren(...lanes.map((l) => { const li = document.createElement("li"); li.className = "lane"; li.textContent = l; li.title = l; return li; }));
  }
  const { centre, follow } = windowCentre(c);
  const span = state.span * 1000;
  const t0 = centre - span / 2, t1 = centre + span / 2;
  const x = (t) => (t - t0) / span * w;
  tl = { ...tl, t0, t1, w, lanes, hits: [] };
  $("tl-range").textContent = `${fmtTime(t0)} – ${fmtTime(t1)} UTC${follow ? " (following the latest data)" : ""}`;
  ctx.clearRect(0, 0, w, height);
  ctx.fillStyle = css("--bg"); ctx.fillRect(0, 0, w, height);
  // axis and grid
  const steps = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY];
  const step = steps.find((s) => s / span * w >= 70) || 2 * DAY;
  ctx.font = "12px system-ui, 'DejaVu Sans', sans-serif";
  ctx.textBaseline = "middle";
  const grid = css("--grid"), muted = css("--muted"), fg = css("--fg");
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    const xx = Math.round(x(t)) + 0.5;
    const d = new Date(t);
    const midnight = d.getUTCHours() === 0;
    ctx.strokeStyle = midnight ? muted : grid; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(xx, AXIS_H - 6); ctx.lineTo(xx, height); ctx.stroke();
    ctx.fillStyle = midnight ? fg : muted;
    const label = midnight || step >= DAY ? d.toISOString().slice(5, 10) : d.toISOString().slice(11, 16);
    ctx.fillText(label, xx + 3, AXIS_H / 2);
  }
  ctx.strokeStyle = grid;
  for (let i = 0; i <= lanes.length; i++) { const y = AXIS_H + i * LANE_H + 0.5; ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(w, y); ctx.stroke(); }
  // marks, batched per kind
  const paths = Object.fromEntries(KINDS.map((k) => [k, new Path2D()]));
  let marks = 0, sel = null;
  lanes.forEach((l, i) => {
    const lane = c.byLane.get(l);
    const items = lane.items;
    const y = AXIS_H + i * LANE_H + 4, h = LANE_H - 8;
    const hits = [];
    for (let j = lowerBound(items, t0 - lane.maxDur); j < items.length; j++) {
      const a = items[j];
      if (a._s > t1) break;
      if (a._e < t0) continue;
      const x0 = Math.max(-2, x(a._s)), x1 = Math.min(w + 2, Math.max(x(a._e), x(a._s) + 3));
      (paths[a.kind] || paths.archived).rect(x0, y, x1 - x0, h);
      hits.push([x0, x1, a]);
      if (a.id === state.sel) sel = [x0, y, x1 - x0, h];
      marks++;
    }
    tl.hits.push(hits);
  });
  ctx.fillStyle = css("--completed"); ctx.fill(paths.completed);
  ctx.globalAlpha = 0.75; ctx.fillStyle = css("--archived"); ctx.fill(paths.archived); ctx.globalAlpha = 1;
  ctx.fillStyle = css("--started"); ctx.fill(paths.started);
  ctx.strokeStyle = fg; ctx.lineWidth = 2; ctx.stroke(paths.started);
  ctx.setLineDash([4, 3]); ctx.strokeStyle = css("--planned"); ctx.lineWidth = 2; ctx.stroke(paths.planned); ctx.setLineDash([]);
  if (sel) { ctx.strokeStyle = css("--sel"); ctx.lineWidth = 3; ctx.strokeRect(sel[0] - 2, sel[1] - 2, sel[2] + 4, sel[3] + 4); }
  const now = Date.now();
  if (now >= t0 && now <= t1) {
    const xx = x(now);
    ctx.strokeStyle = css("--now"); ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(xx, 4); ctx.lineTo(xx, height); ctx.stroke();
    ctx.fillStyle = css("--now"); ctx.fillText("now", xx + 4, 8);
  }
  stats.lanes = lanes.length; stats.timelineMarks = marks;
}

function tlHit(px, py) {
  const i = Math.floor((py - AXIS_H) / LANE_H);
  const hits = tl.hits[i];
  if (!hits) return null;
  let best = null, bd = 6;
  for (const [x0, x1, a] of hits) {
    const d = px < x0 ? x0 - px : px > x1 ? px - x1 : 0;
    if (d < bd || (d === 0 && best && bd === 0 && x1 - x0 < best[1])) { bd = d; best = [a, x1 - x0]; }
  }
  return best && best[0];
}

function setupTimeline() {
  const cv = $("tl");
  let drag = null;
  const local = (e) => { const r = cv.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  cv.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, centre: windowCentre(current()).centre, moved: false }; cv.setPointerCapture(e.pointerId); });
  cv.addEventListener("pointermove", (e) => {
    const [px, py] = local(e);
    if (drag) {
      const dx = e.clientX - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      if (drag.moved) { state.at = drag.centre - dx / tl.w * state.span * 1000; schedule(); hideTip(); return; }
    }
    const a = tlHit(px, py);
    if (a) showTip(a, e.clientX, e.clientY); else hideTip();
  });
  cv.addEventListener("pointerup", (e) => {
    const [px, py] = local(e);
    if (drag && !drag.moved) { const a = tlHit(px, py); if (a) select(a.id); }
    if (drag && drag.moved) writeURL();
    drag = null;
  });
  cv.addEventListener("pointerleave", hideTip);
  cv.addEventListener("wheel", (e) => {
    e.preventDefault();
    const [px] = local(e);
    const t = tl.t0 + px / tl.w * (tl.t1 - tl.t0);
    const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, state.span * (e.deltaY > 0 ? 1.25 : 0.8)));
    state.at = t - (px / tl.w - 0.5) * span * 1000;
    state.span = Math.round(span);
    syncControls(); writeURL(); schedule();
  }, { passive: false });
  cv.addEventListener("keydown", (e) => {
    const k = e.key;
    if (k === "+" || k === "=" || k === "-") { zoomTimeline(k === "-" ? 2 : 0.5); e.preventDefault(); return; }
    if (k === "PageUp" || k === "PageDown") { panTimeline(k === "PageUp" ? -0.5 : 0.5); e.preventDefault(); return; }
    if (!["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].includes(k)) return;
    e.preventDefault();
    const c = current();
    if (!c.lanes.length) return;
    const selA = state.sel && store.byId.get(state.sel);
    let li = selA ? c.lanes.indexOf(selA.facility || "?") : -1;
    const visible = (i) => (tl.hits[i] || []).map((h) => h[2]);
    if (li < 0) { li = tl.hits.findIndex((h) => h.length); if (li < 0) return; const v = visible(li); select(v[0].id); return; }
    if (k === "ArrowUp" || k === "ArrowDown") {
      for (let i = li + (k === "ArrowUp" ? -1 : 1); i >= 0 && i < c.lanes.length; i += k === "ArrowUp" ? -1 : 1) {
        const v = visible(i);
        if (!v.length) continue;
        let best = v[0];
        for (const a of v) if (Math.abs(a._s - selA._s) < Math.abs(best._s - selA._s)) best = a;
        select(best.id); return;
      }
      return;
    }
    const items = c.byLane.get(c.lanes[li]).items;
    const j = items.indexOf(selA) + (k === "ArrowLeft" ? -1 : 1);
    if (j >= 0 && j < items.length) {
      const a = items[j];
      if (a._s < tl.t0 || a._s > tl.t1) state.at = a._s;
      select(a.id);
    }
  });
  $("tl-span").addEventListener("change", (e) => { state.span = Number(e.target.value); writeURL(); schedule(); });
  $("tl-prev").addEventListener("click", () => panTimeline(-0.5));
  $("tl-next").addEventListener("click", () => panTimeline(0.5));
  $("tl-now").addEventListener("click", () => { state.at = Date.now(); writeURL(); schedule(); });
  $("tl-latest").addEventListener("click", () => { state.at = null; writeURL(); schedule(); });
}
function zoomTimeline(f) { const c = windowCentre(current()).centre; state.span = Math.round(Math.min(MAX_SPAN, Math.max(MIN_SPAN, state.span * f))); state.at = c; syncControls(); writeURL(); schedule(); }
function panTimeline(f) { state.at = windowCentre(current()).centre + f * state.span * 1000; writeURL(); schedule(); }

// ---- sky map ----
let sky = { data: null, sc: 1, w: 0, h: 0, marks: [] };
const SKY_W = 2 * Math.SQRT2, SKY_H = Math.SQRT2;

async function loadSkyData() {
  try {
    const r = await fetch("/api/astro/sky");
    if (r.ok) { sky.data = await r.json(); schedule(); }
  } catch (e) { /* the map draws without the Sun and the Moon */ }
}

// drawSky draws the map in two layers: the base (grid, galactic plane,
// the Sun and the Moon, a dot per field) is redrawn when the view or the
// activities change; the fields' outlines are then added to it a chunk per
// frame (incremental drawing), so that no frame waits for thousands of
// polygons. The finished layer is copied to the screen with the selection.
function drawSky(c) {
  const cv = $("sky");
  const { ctx, w, h } = sizeCanvas(cv);
  const z = state.skyz, centre = state.skyc, d = sky.data;
  const sc = Math.min(w / (2 * SKY_W * 1.02), h / (2 * SKY_H * 1.04)) * z;
  const theme = document.documentElement.dataset.theme;
  const key = [c.key, centre, z, state.skyy, cv.width, cv.height, theme, d && d.time].join("|");
  const px = (p) => [w / 2 + p[0] * sc, h / 2 - (p[1] - state.skyy) * sc];
  if (sky.key !== key) {
    sky.key = key;
    const layer = sky.layer || (sky.layer = document.createElement("canvas"));
    if (layer.width !== cv.width || layer.height !== cv.height) { layer.width = cv.width; layer.height = cv.height; }
    sky.changed = performance.now();
    const lc = layer.getContext("2d");
    lc.setTransform(cv.width / w, 0, 0, cv.height / h, 0, 0);
    sky.sc = sc; sky.w = w; sky.h = h; sky.marks = []; sky.job = []; sky.jobI = 0;
    drawSkyBase(lc, c, w, h, sc, centre, px);
  }
  // otherwise add fields' outlines for about 8 ms
  // While the view moves (it changed in the last 150 ms) only the dots
  // are drawn; the outlines follow once it rests.
  const moving = performance.now() - sky.changed < 150;
  if (moving && sky.jobI < sky.job.length) { clearTimeout(sky.timer); sky.timer = setTimeout(schedule, 160); }
  if (!moving && sky.jobI < sky.job.length) {
    const lc = sky.layer.getContext("2d");
    const t0 = performance.now();
    while (sky.jobI < sky.job.length && performance.now() - t0 < 8) {
      const paths = Object.fromEntries(KINDS.map((k) => [k, new Path2D()]));
      const end = Math.min(sky.job.length, sky.jobI + 40);
      for (; sky.jobI < end; sky.jobI++) {
        const a = sky.job[sky.jobI], t = a.target;
        const g = a._sky;
        if (!g.shape) {
          const pcs = t.region && t.region.length >= 3 ? S.pieces(S.densify(t.region), centre) : S.pieces(S.smallCircle(t.ra, t.dec, t.fov_radius, 32), centre);
          g.shape = pcs.map((pc) => pc.map((q) => S.hammer(q[0], q[1])));
        }
        const path = paths[a.kind] || paths.archived;
        for (const pc of g.shape) { pc.forEach((q, i) => { const [xx, yy] = px(q); if (i) path.lineTo(xx, yy); else path.moveTo(xx, yy); }); path.closePath(); }
      }
      for (const k of KINDS) {
        const col = css("--" + k);
        lc.globalAlpha = 0.25; lc.fillStyle = col; lc.fill(paths[k]); lc.globalAlpha = 1;
        lc.strokeStyle = col; lc.lineWidth = 1; if (k === "planned") lc.setLineDash([3, 2]); lc.stroke(paths[k]); lc.setLineDash([]);
      }
    }
    if (sky.jobI < sky.job.length) schedule();
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(sky.layer, 0, 0);
  ctx.setTransform(cv.width / w, 0, 0, cv.height / h, 0, 0);
  drawOverlays(ctx, c, centre, px);
  const selA = state.sel && store.byId.get(state.sel);
  if (selA && selA._sky && selA._sky.c === centre) {
    const [x, y] = px(selA._sky.p);
    ctx.strokeStyle = css("--sel"); ctx.lineWidth = 2.5; ctx.beginPath(); ctx.arc(x, y, 9, 0, 2 * Math.PI); ctx.stroke();
  }
  stats.skyPending = sky.job.length - sky.jobI;
}

// drawOverlays draws over the fields the alerts' localizations and where
// each spacecraft points now: tens of shapes, not thousands, so every
// frame, from outlines projected once per map centre. Their outlines are
// kept for the hit tests.
const FORMATS = { healpix: "HEALPix", moc: "MOC" };
function drawOverlays(ctx, c, centre, px) {
  const proj = (holder, rings) => {
    if (!holder._proj || holder._proj.c !== centre) {
      holder._proj = { c: centre, pcs: rings.flatMap((r) => S.pieces(r, centre)).map((pc) => pc.map((q) => S.hammer(q[0], q[1]))) };
    }
    return holder._proj.pcs;
  };
  const trace = (path, pcs) => {
    for (const pc of pcs) { pc.forEach((q, i) => { const [x, y] = px(q); if (i) path.lineTo(x, y); else path.moveTo(x, y); }); path.closePath(); }
    return path;
  };
  const outline = (pcs) => trace(new Path2D(), pcs);
  const at = (ra, dec) => px(S.hammer(S.wrap180(ra - centre), dec));
  const fg = css("--fg"), muted = css("--muted");
  sky.alertHits = []; sky.pointHits = [];
  ctx.font = "bold 12px system-ui, 'DejaVu Sans', sans-serif";
  let shown = 0, drawnOutlines = 0;
  if (state.alerts) {
    const col = css("--alert");
    const list = alertsInWindow().filter(alertOnMap);
    const labels = list.length <= 25;
    // While the view moves, many alerts are drawn as their best positions
    // only (as the fields are dots); their outlines follow once it rests.
    const outlines = list.length <= 60 || performance.now() - sky.changed >= 150;
    if (!outlines) { clearTimeout(sky.otimer); sky.otimer = setTimeout(schedule, 160); }
    // solid: the notice's region; dashed: the region of a notice whose
    // probability map (HEALPix, MOC) is not drawn; dotted: retracted.
    // A path per alert (one path for all costs more: its fill covers the
    // whole map); the best positions in one path.
    const marks = new Path2D(), rmarks = new Path2D();
    const texts = [];
    let selected = null;
    for (let i = list.length - 1; i >= 0; i--) { // the newest on top
      const a = list[i], l = a.localization;
      const retracted = a.status === "retracted";
      const pcs = outlines ? proj(a, a._rings) : [];
      if (pcs.length) {
        const path = outline(pcs);
        if (!retracted) { ctx.globalAlpha = 0.12; ctx.fillStyle = col; ctx.fill(path); ctx.globalAlpha = 1; }
        ctx.setLineDash(retracted ? [2, 4] : a.skymap ? [8, 4] : []);
        ctx.strokeStyle = retracted ? muted : col; ctx.lineWidth = 2; ctx.stroke(path);
      }
      const [x, y] = at(l.ra, l.dec);
      const m = retracted ? rmarks : marks;
      m.moveTo(x, y - 6); m.lineTo(x + 6, y); m.lineTo(x, y + 6); m.lineTo(x - 6, y); m.closePath();
      if (a.id === state.asel) selected = { pcs, x, y };
      if (labels || a.id === state.asel) {
        const note = retracted ? " (retracted)" : a.skymap ? ` (${FORMATS[a.skymap.format] || a.skymap.format} map not drawn: the notice's region)` : "";
        texts.push([L.alertTitle(a) + note, x + 9, y + 4]);
      }
      sky.alertHits.push({ a, pcs, x, y });
      shown++;
      if (pcs.length) drawnOutlines++;
    }
    ctx.setLineDash([]);
    ctx.fillStyle = col; ctx.fill(marks); ctx.fillStyle = muted; ctx.fill(rmarks);
    if (selected) {
      if (selected.pcs.length) { ctx.strokeStyle = col; ctx.lineWidth = 3.5; ctx.stroke(outline(selected.pcs)); }
      ctx.strokeStyle = css("--sel"); ctx.lineWidth = 2; ctx.beginPath();
      ctx.moveTo(selected.x, selected.y - 7); ctx.lineTo(selected.x + 7, selected.y); ctx.lineTo(selected.x, selected.y + 7); ctx.lineTo(selected.x - 7, selected.y); ctx.closePath(); ctx.stroke();
    }
    ctx.fillStyle = fg;
    for (const [text, x, y] of texts) ctx.fillText(text, x, y);
  }
  let points = 0;
  if (state.pointings) {
    const col = css("--point");
    for (const a of pointings(c)) {
      const p = a.pointing;
      if (!a._fov) a._fov = L.fieldRings(a);
      const holder = a._pt || (a._pt = {});
      if (a._fov.length) {
        const path = outline(proj(holder, a._fov));
        ctx.globalAlpha = 0.1; ctx.fillStyle = col; ctx.fill(path); ctx.globalAlpha = 1;
        ctx.strokeStyle = col; ctx.lineWidth = 2; ctx.stroke(path);
      }
      const [x, y] = at(p.ra, p.dec);
      ctx.strokeStyle = col; ctx.lineWidth = 2.5;
      ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI);
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) { ctx.moveTo(x + 3 * dx, y + 3 * dy); ctx.lineTo(x + 12 * dx, y + 12 * dy); }
      ctx.stroke();
      if (p.roll != null) {
        // the roll: a tick along the instrument's reference axis, at
        // position angle roll from the boresight (north through east)
        const len = Math.min(20, 26 / (sky.sc * S.DEG));
        const q = S.offset(p.ra, p.dec, len, p.roll);
        const [x2, y2] = at(q[0], q[1]);
        if (Math.hypot(x2 - x, y2 - y) < 80) {
          ctx.lineWidth = 3; ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x2, y2); ctx.stroke();
        }
      }
      ctx.fillStyle = fg; ctx.fillText(a.facility, x + 12, y - 10);
      sky.pointHits.push({ a, x, y });
      points++;
    }
  }
  sky.outline = outline;
  stats.alertShapes = shown; stats.alertOutlines = drawnOutlines; stats.pointings = points;
}

function drawSkyBase(ctx, c, w, h, sc, centre, px) {
  const z = state.skyz, d = sky.data;
  const fg = css("--fg"), muted = css("--muted"), grid = css("--grid");
  ctx.fillStyle = css("--sky"); ctx.fillRect(0, 0, w, h);
  // Everything projects inside the ellipse: no clipping (which costs a
  // mask in software rendering).
  const lineRuns = (runs, path) => { for (const run of runs) run.forEach((p, i) => { const [x, y] = px(S.hammer(p[0], p[1])); if (i) path.lineTo(x, y); else path.moveTo(x, y); }); };
  const ring = (pcs, path) => { for (const pc of pcs) { pc.forEach((p, i) => { const [x, y] = px(S.hammer(p[0], p[1])); if (i) path.lineTo(x, y); else path.moveTo(x, y); }); path.closePath(); } };
  // grid
  const gp = new Path2D();
  for (let dec = -60; dec <= 60; dec += 30) { const line = []; for (let ra = 0; ra <= 360; ra += 2) line.push([ra, dec]); lineRuns(S.polyline(line, centre), gp); }
  for (let ra = 0; ra < 360; ra += 30) { const line = []; for (let dec = -90; dec <= 90; dec += 2) line.push([ra, dec]); lineRuns(S.polyline(line, centre), gp); }
  ctx.strokeStyle = grid; ctx.lineWidth = 1; ctx.stroke(gp);
  ctx.fillStyle = muted; ctx.font = "11px system-ui, 'DejaVu Sans', sans-serif";
  for (let ra = 0; ra < 360; ra += 30) { const [x, y] = px(S.hammer(S.wrap180(ra - centre), 0)); ctx.fillText(ra / 15 + "h", x + 2, y - 3); }
  for (const dec of [-60, -30, 30, 60]) { const [x, y] = px(S.hammer(0, dec)); ctx.fillText((dec > 0 ? "+" : "") + dec + "°", x + 2, y - 2); }
  // galactic plane, the Sun and the Moon
  if (d) {
    const gal = new Path2D(); lineRuns(S.polyline(d.galactic_plane, centre), gal);
    ctx.setLineDash([6, 4]); ctx.strokeStyle = css("--gal"); ctx.lineWidth = 1.5; ctx.stroke(gal); ctx.setLineDash([]);
    for (const [name, b, col] of [["Sun", d.sun, css("--sun")], ["Moon", d.moon, css("--moon")]]) {
      const zone = new Path2D(); ring(S.pieces(S.smallCircle(b.ra, b.dec, b.avoid, 96), centre), zone);
      ctx.globalAlpha = 0.16; ctx.fillStyle = col; ctx.fill(zone); ctx.globalAlpha = 1;
      ctx.strokeStyle = col; ctx.lineWidth = 1; ctx.stroke(zone);
      const disc = new Path2D(); ring(S.pieces(S.smallCircle(b.ra, b.dec, Math.max(b.semi_diameter, 1.5), 24), centre), disc);
      ctx.fillStyle = col; ctx.fill(disc);
      const [x, y] = px(S.hammer(S.wrap180(b.ra - centre), b.dec));
      ctx.fillStyle = fg; ctx.font = "bold 12px system-ui, 'DejaVu Sans', sans-serif"; ctx.fillText(name, x + 8, y - 8);
    }
  }
  // a dot per field, batched per kind; the fields' outlines follow
  // incrementally (drawSky)
  const dots = Object.fromEntries(KINDS.map((k) => [k, []]));
  let n = 0;
  for (const a of c.all) {
    if (!a._pos) continue;
    const t = a.target;
    if (!a._sky || a._sky.c !== centre) a._sky = { c: centre, p: S.hammer(S.wrap180(t.ra - centre), t.dec), shape: null };
    const [x, y] = px(a._sky.p);
    if (x >= -2 && x <= w + 2 && y >= -2 && y <= h + 2) (dots[a.kind] || dots.archived).push(x, y);
    sky.marks.push([x, y, a]);
    if ((t.region && t.region.length >= 3) || t.fov_radius >= 0.25) sky.job.push(a);
    n++;
  }
  // fillRect per dot: much faster than one path of thousands of rectangles
  for (const k of KINDS) { ctx.fillStyle = css("--" + k); const p = dots[k]; for (let i = 0; i < p.length; i += 2) ctx.fillRect(Math.round(p[i]) - 1, Math.round(p[i + 1]) - 1, 3, 3); }
  ctx.strokeStyle = muted; ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.ellipse(w / 2, h / 2 + state.skyy * sc, SKY_W * sc, SKY_H * sc, 0, 0, 2 * Math.PI); ctx.stroke();
  $("sky-info").textContent = `${n} fields · centre RA ${(((centre % 360) + 360) % 360).toFixed(1)}° · zoom ${z.toFixed(1)}×` + (d ? ` · Sun and Moon at ${d.time.slice(0, 16).replace("T", " ")} UTC` : "");
  stats.skyMarks = n;
}

// skyHit finds what a point of the map shows, in this order: an alert's
// best position, a spacecraft's pointing, a field, the inside of an
// alert's localization (the newest first). It returns {alert} or
// {activity}, or null.
const hitCtx = document.createElement("canvas").getContext("2d");
function skyHit(px, py) {
  const near = (h, r) => (h.x - px) ** 2 + (h.y - py) ** 2 <= r * r;
  for (let i = (sky.alertHits || []).length - 1; i >= 0; i--) if (near(sky.alertHits[i], 8)) return { alert: sky.alertHits[i].a };
  for (const h of sky.pointHits || []) if (near(h, 12)) return { activity: h.a };
  let best = null, bd = 100;
  for (const [x, y, a] of sky.marks) { const d = (x - px) ** 2 + (y - py) ** 2; if (d < bd) { bd = d; best = a; } }
  if (best) return { activity: best };
  for (let i = (sky.alertHits || []).length - 1; i >= 0; i--) {
    const h = sky.alertHits[i];
    if (h.path === undefined) h.path = sky.outline(h.pcs);
    if (hitCtx.isPointInPath(h.path, px, py)) return { alert: h.a };
  }
  return null;
}

function setupSky() {
  const cv = $("sky");
  let drag = null;
  const local = (e) => { const r = cv.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  cv.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, y: e.clientY, c: state.skyc, yy: state.skyy, moved: false }; cv.setPointerCapture(e.pointerId); });
  cv.addEventListener("pointermove", (e) => {
    if (drag) {
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.hypot(dx, dy) > 3) drag.moved = true;
      if (drag.moved) { state.skyc = drag.c + dx / sky.sc / S.DEG; state.skyy = drag.yy + dy / sky.sc; schedule(); return; }
    }
    const [px, py] = local(e);
    const h = skyHit(px, py);
    if (h && h.activity) showTip(h.activity, e.clientX, e.clientY);
    else if (h) tipText(alertTip(h.alert), e.clientX, e.clientY);
    else hideTip();
  });
  cv.addEventListener("pointerup", (e) => {
    const [px, py] = local(e);
    if (drag && !drag.moved) {
      const h = skyHit(px, py);
      if (h && h.activity) select(h.activity.id);
      else if (h) selectAlert(h.alert.id);
      else pickRegion(px, py);
    }
    if (drag && drag.moved) writeURL();
    drag = null;
  });
  cv.addEventListener("pointerleave", hideTip);
  cv.addEventListener("wheel", (e) => { e.preventDefault(); zoomSky(e.deltaY > 0 ? 0.8 : 1.25); }, { passive: false });
  cv.addEventListener("keydown", (e) => {
    const step = 10 / state.skyz;
    const k = e.key;
    if (k === "ArrowLeft") state.skyc += step; else if (k === "ArrowRight") state.skyc -= step;
    else if (k === "ArrowUp") state.skyy -= step * S.DEG; else if (k === "ArrowDown") state.skyy += step * S.DEG;
    else if (k === "+" || k === "=") return zoomSky(1.25); else if (k === "-") return zoomSky(0.8);
    else return;
    e.preventDefault(); writeURL(); schedule();
  });
  $("sky-in").addEventListener("click", () => zoomSky(1.25));
  $("sky-out").addEventListener("click", () => zoomSky(0.8));
  $("sky-reset").addEventListener("click", () => { state.skyc = 0; state.skyz = 1; state.skyy = 0; writeURL(); schedule(); });
  for (const [id, k] of [["sky-alerts", "alerts"], ["sky-retracted", "retracted"], ["sky-pointings", "pointings"]]) {
    $(id).addEventListener("change", (e) => { state[k] = e.target.checked; writeURL(); schedule(); });
  }
}
// pickRegion makes the clicked point of the map the centre of the cone
// filter (and of a new subscription's region).
function pickRegion(px, py) {
  const q = S.inverseHammer((px - sky.w / 2) / sky.sc, (sky.h / 2 - py) / sky.sc + state.skyy);
  if (!q) return;
  const ra = ((q[0] + state.skyc) % 360 + 360) % 360;
  state.f.ra = ra.toFixed(3); state.f.dec = q[1].toFixed(3); state.f.radius = state.f.radius || "5";
  syncControls(); writeURL(true); schedule();
}
function zoomSky(f) { state.skyz = Math.min(40, Math.max(1, state.skyz * f)); if (state.skyz === 1) state.skyy = 0; writeURL(); schedule(); }

// ---- virtualized table ----
const ROW_H = 26;
function drawTable(c) {
  const wrap = $("tbl-wrap"), body = $("tbl").tBodies[0];
  const rows = c.all;
  const first = Math.max(0, Math.floor(wrap.scrollTop / ROW_H) - 5);
  const count = Math.ceil((wrap.clientHeight || 600) / ROW_H) + 10;
  const last = Math.min(rows.length, first + count);
  const out = [];
  const spacer = (hgt) => { const tr = document.createElement("tr"); tr.className = "spacer"; tr.setAttribute("aria-hidden", "true"); const td = document.createElement("td"); td.colSpan = 9; td.style.height = hgt + "px"; tr.appendChild(td); return tr; };
  out.push(spacer(first * ROW_H));
  for (let i = first; i < last; i++) {
    const a = rows[i], t = a.target || {};
    const tr = document.createElement("tr");
    tr.dataset.id = a.id;
    tr.setAttribute("aria-rowindex", i + 2);
    tr.setAttribute("aria-selected", a.id === state.sel ? "true" : "false");
    for (const [v, cls] of [[a.start ? a.start.slice(0, 19).replace("T", " ") : "", ""], [a.kind, "kind-" + a.kind], [a.source], [a.facility], [a.instrument],
      [t.name], [t.ra == null ? "" : t.ra.toFixed(4)], [t.dec == null ? "" : t.dec.toFixed(4)], [(a.programme || {}).id]]) {
      const td = document.createElement("td"); td.textContent = v == null ? "" : v; if (cls) td.className = cls; tr.appendChild(td);
    }
    out.push(tr);
  }
  out.push(spacer((rows.length - last) * ROW_H));
  body.replaceChildren(...out);
  $("tbl").setAttribute("aria-rowcount", rows.length + 1);
  $("tbl-count").textContent = `(${rows.length}, newest first)`;
  stats.rows = last - first;
}

function setupTable() {
  const wrap = $("tbl-wrap");
  wrap.addEventListener("scroll", schedule, { passive: true });
  $("tbl").tBodies[0].addEventListener("click", (e) => { const tr = e.target.closest("tr[data-id]"); if (tr) select(tr.dataset.id); });
  wrap.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const rows = current().all;
    let i = rows.findIndex((a) => a.id === state.sel);
    i = Math.max(0, Math.min(rows.length - 1, i + (e.key === "ArrowDown" ? 1 : -1)));
    if (!rows[i]) return;
    select(rows[i].id);
    const top = i * ROW_H + ROW_H; // below the sticky header
    if (top < wrap.scrollTop + ROW_H) wrap.scrollTop = top - ROW_H;
    else if (top + ROW_H > wrap.scrollTop + wrap.clientHeight) wrap.scrollTop = top + ROW_H - wrap.clientHeight;
  });
}

// ---- selection, details, tooltip ----
function fmtTime(t) { return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 16).replace("T", " ") : "?"; }

// detailList returns a definition list and a function adding a row to
// it (a text or a node; empty values are left out).
function detailList() {
  const dl = document.createElement("dl");
  return [dl, (k, v) => {
    if (v == null || v === "") return;
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd"); if (v instanceof Node) dd.append(v); else dd.textContent = v;
    dl.append(dt, dd);
  }];
}
// extLink is a link opened in a new tab, without referrer.
function extLink(url, text) { const x = document.createElement("a"); x.href = url; x.textContent = text || url; x.rel = "noopener noreferrer"; x.target = "_blank"; return x; }

function select(id) {
  state.sel = id;
  state.asel = null;
  writeURL();
  showDetail(store.byId.get(id));
  schedule();
}

function showDetail(a) {
  $("h-detail").textContent = "Selected activity";
  const box = $("detail-body");
  if (!a) { box.replaceChildren(Object.assign(document.createElement("p"), { className: "muted", textContent: "Hover or select an activity." })); return; }
  const t = a.target || {}, p = a.programme || {};
  const [dl, row] = detailList();
  row("kind", a.kind === "started" ? "under way" : a.kind);
  row("facility", [a.facility, a.observatory && a.observatory !== a.facility ? `(${a.observatory})` : ""].join(" ").trim());
  row("instrument", [a.instrument, a.mode, a.filter].filter(Boolean).join(" · "));
  row("start", a.start ? fmtTime(a._s) + " UTC" : "");
  row("end", a.end ? fmtTime(a._e) + " UTC" : "");
  row("exposure", a.exposure_s != null ? `${a.exposure_s} s` : "");
  row("programme", [p.id, p.title].filter(Boolean).join(" — "));
  row("PI", p.pi);
  row("target", t.name);
  if (a._pos) row("position", `RA ${t.ra.toFixed(4)}°, Dec ${t.dec.toFixed(4)}°` + (t.fov_radius ? `, field ${t.fov_radius}°` : ""));
  if (a.pointing) row("pointing", `RA ${a.pointing.ra.toFixed(4)}°, Dec ${a.pointing.dec.toFixed(4)}°, roll ${a.pointing.roll == null ? "unknown" : a.pointing.roll + "°"}` + (a.footprints && a.footprints.length ? `, ${a.footprints.length} footprint(s)` : ""));
  if (a.bandpass) row("bandpass", `${L.fmtWavelength(a.bandpass.min_wavelength_m)} – ${L.fmtWavelength(a.bandpass.max_wavelength_m)}` + (bands.list ? ` (${bands.list.filter((b) => L.inBand(a, b)).map((b) => b.name).join(", ")})` : ""));
  row("source", a.source);
  row("dataset", a.dataset_id);
  if (a.links && a.links.length) {
    const ul = document.createElement("ul");
    for (const l of a.links) {
      if (!/^https?:/i.test(l.url)) continue;
      const li = document.createElement("li"); li.append(extLink(l.url, l.title)); ul.append(li);
    }
    row("links", ul);
  }
  const h = document.createElement("p"); h.className = "muted"; h.textContent = a.id;
  const parts = [dl, h];
  if (a._pos) {
    const b = document.createElement("button"); b.type = "button"; b.textContent = "Altitude tonight (target page)";
    b.addEventListener("click", () => { state.tname = t.name || ""; state.tra = String(t.ra); state.tdec = String(t.dec); setView("target", true); });
    parts.push(b);
  }
  box.replaceChildren(...parts);
}

function selectAlert(id) {
  state.asel = id;
  state.sel = null;
  writeURL();
  showAlertDetail(alertStore.byId.get(id));
  schedule();
}

// showAlertDetail shows an alert in the side panel: mission, event type,
// trigger time, localization, significance, links.
function showAlertDetail(a) {
  $("h-detail").textContent = "Selected alert";
  const box = $("detail-body");
  if (!a) { box.replaceChildren(Object.assign(document.createElement("p"), { className: "muted", textContent: `Alert ${state.asel || ""} not (yet) known to this page.` })); return; }
  const [dl, row] = detailList();
  row("status", a.status === "retracted" ? "retracted by its issuer" : "active");
  row("names", (a.names || []).join(", "));
  row("mission", [a.mission, a.instrument].filter(Boolean).join(" / "));
  row("event type", a.event_type || "not given");
  row("trigger time", a.trigger_time ? a.trigger_time.slice(0, 19).replace("T", " ") + (a.trigger_time.length > 20 ? a.trigger_time.slice(19, 22).replace(/Z.*/, "") : "") + " UTC" : "");
  row("issued", a.issued ? a.issued.slice(0, 19).replace("T", " ") + " UTC" : "");
  row("localization", L.describe(a.localization) + (a.localization && !alertOnMap(a) && state.alerts ? " (not drawn: retracted alerts are hidden)" : ""));
  if (a.skymap) {
    const f = FORMATS[a.skymap.format] || a.skymap.format;
    const span = document.createElement("span");
    span.append(`${f} probability map${a.skymap.embedded ? " (embedded in the notice)" : ""}, not drawn: `,
      a.localization ? "the map shows the notice's region (dashed). " : "the notice gives no region to draw. ");
    if (/^https?:/i.test(a.skymap.url || "")) span.append(extLink(a.skymap.url, "sky map file"));
    row("sky map", span);
  }
  const sg = a.significance || {};
  const sig = [];
  if (sg.snr != null) sig.push(`S/N ${+sg.snr.toPrecision(4)}`);
  if (sg.far != null) sig.push(`false alarm rate ${sg.far.toExponential(2)} Hz` + (sg.far > 0 ? ` (one per ${+(1 / (sg.far * 3.15576e7)).toPrecision(3)} yr)` : ""));
  if (sg.p_astro != null) sig.push(`p_astro ${sg.p_astro}`);
  row("significance", sig.join(" · ") || "not given");
  row("notice", a.notice);
  row("message", a.message);
  row("source", `${a.source}, revision ${a.revision}`);
  const links = (a.links || []).filter((l) => /^https?:/i.test(l.url));
  if (links.length) {
    const ul = document.createElement("ul");
    for (const l of links) { const li = document.createElement("li"); li.append(extLink(l.url, l.title)); ul.append(li); }
    row("links", ul);
  }
  const h = document.createElement("p"); h.className = "muted"; h.textContent = a.id;
  const parts = [dl, h];
  const l = a.localization;
  if (l) {
    const cone = document.createElement("button"); cone.type = "button"; cone.textContent = "Activities in the localization (cone filter)";
    cone.addEventListener("click", () => {
      state.f.ra = l.ra.toFixed(4); state.f.dec = l.dec.toFixed(4); state.f.radius = String(Math.max(+L.boundRadius(l).toFixed(4), 0.01));
      syncControls(); writeURL(true); schedule();
    });
    const centre = document.createElement("button"); centre.type = "button"; centre.textContent = "Centre the map on it";
    centre.addEventListener("click", () => { state.skyc = l.ra; state.skyy = 0; if (state.view !== "sky") setView("sky", true); else { writeURL(); schedule(); } });
    parts.push(cone, " ", centre);
  }
  box.replaceChildren(...parts);
}

// drawSkyLists lists the alerts (newest first) and the pointings under
// the map: the keyboard's way to them, and their text alternative.
let listsKey = "";
function drawSkyLists(c) {
  const all = alertsInWindow(), pts = pointings(c);
  const key = [alertCache.key, pointCache.key, state.asel, state.sel, state.alerts, state.retracted, state.pointings].join("|");
  if (key === listsKey) return;
  listsKey = key;
  const onMap = all.filter(alertOnMap).length;
  $("alert-count").textContent = `(${all.length}, ${onMap} on the map${all.length > 200 ? "; the newest 200 listed" : ""})`;
  const li = (text) => Object.assign(document.createElement("li"), { textContent: text });
  $("alert-list").replaceChildren(...(all.length ? all.slice(0, 200).map((a) => {
    const item = document.createElement("li"), b = document.createElement("button");
    b.type = "button"; b.dataset.alert = a.id;
    b.setAttribute("aria-pressed", String(a.id === state.asel));
    const l = a.localization;
    const where = !l ? (a.skymap ? "sky map only, not drawn" : "no localization") : l.shape + (a.skymap ? ` (${FORMATS[a.skymap.format] || a.skymap.format} map: region shown)` : "");
    const text = document.createElement("span");
    text.textContent = `${fmtTime(a._t)} ${L.alertTitle(a)} — ${[a.mission, a.event_type].filter(Boolean).join(" ")}, ${where}`;
    b.append(text);
    if (a.status === "retracted") { text.className = "retracted"; b.append(Object.assign(document.createElement("span"), { className: "tag", textContent: "retracted" })); }
    b.addEventListener("click", () => selectAlert(a.id));
    item.append(b);
    return item;
  }) : [li("none" + (state.f.from || state.f.to ? " in the time window" : ""))]));
  $("point-count").textContent = `(${pts.length})`;
  $("point-list").replaceChildren(...(pts.length ? pts.map((a) => {
    const item = document.createElement("li"), b = document.createElement("button"), p = a.pointing;
    b.type = "button"; b.dataset.id = a.id;
    b.setAttribute("aria-pressed", String(a.id === state.sel));
    b.textContent = `${a.facility}: RA ${p.ra.toFixed(2)}°, Dec ${p.dec.toFixed(2)}°, roll ${p.roll == null ? "unknown" : p.roll.toFixed(1) + "°"} — since ${fmtTime(a._s)} UTC${a.kind === "started" ? "" : " (scheduled)"}${a._fov && !a._fov.length ? ", field unknown" : ""}`;
    b.addEventListener("click", () => select(a.id));
    item.append(b);
    return item;
  }) : [li(state.pointings ? "none: no activity under way carries a pointing" : "hidden")]));
}

function showTip(a, x, y) {
  const tip = $("tip");
  const t = a.target || {}, p = a.programme || {};
  tip.textContent = `${a.facility} · ${a.instrument || "?"} · ${a.kind === "started" ? "under way" : a.kind}\n${t.name || ""} ${fmtTime(a._s)}–${fmtTime(a._e).slice(11)} UTC\n${p.id || ""}${p.pi ? " · PI " + p.pi : ""}${a.exposure_s != null ? " · " + a.exposure_s + " s" : ""}`;
  tip.style.whiteSpace = "pre-line";
  tip.hidden = false;
  tip.style.left = Math.min(x + 14, window.innerWidth - 300) + "px";
  tip.style.top = y + 14 + "px";
}
function hideTip() { $("tip").hidden = true; }
function tipText(text, x, y) {
  const tip = $("tip");
  tip.textContent = text;
  tip.style.whiteSpace = "pre-line";
  tip.hidden = false;
  tip.style.left = Math.min(x + 14, window.innerWidth - 300) + "px";
  tip.style.top = y + 14 + "px";
}
function alertTip(a) {
  return `${L.alertTitle(a)}${a.status === "retracted" ? " (retracted)" : ""}\n${[a.mission, a.instrument].filter(Boolean).join(" ")}${a.event_type ? " · " + a.event_type : ""} · ${fmtTime(a._t)} UTC\n${L.describe(a.localization)}`;
}

// ---- target page ----
let tgData = null, tgKey = "";
async function loadTarget() {
  const err = $("tg-error");
  err.textContent = "";
  if (state.tname && (!state.tra || !state.tdec)) {
    const r = await fetch("/api/astro/lookup?name=" + encodeURIComponent(state.tname));
    const j = await r.json();
    const star = (j.targets || []).find((x) => x.kind === "star");
    if (!star) { err.textContent = `No star named “${state.tname}” in the embedded catalogues; give RA and Dec.`; return; }
    state.tra = String(star.ra); state.tdec = String(star.dec); writeURL();
  }
  if (!state.tra || !state.tdec) { err.textContent = "Choose a target: a name from the catalogues, or RA and Dec in degrees (or select an activity and open its target page)."; $("tg-chart").replaceChildren(); tgData = null; return; }
  const q = new URLSearchParams({ ra: state.tra, dec: state.tdec, site: state.site });
  if (state.date) q.set("date", state.date);
  const key = q.toString();
  if (key === tgKey && tgData) { drawTarget(); return; }
  const r = await fetch("/api/astro/altitude?" + key);
  const j = await r.json();
  if (!r.ok) { err.textContent = j.error || "the altitude could not be computed"; return; }
  tgKey = key; tgData = j;
  drawTarget();
}

function syncTargetForm() {
  const f = $("tg-form");
  for (const k of ["tname", "tra", "tdec", "site", "date"]) f.elements[k].value = state[k] || "";
}

function drawTarget() {
  const d = tgData;
  if (!d) return;
  const svg = $("tg-chart");
  const W = 900, H = 380, L = 44, R = 16, T = 34, B = 40;
  const pts = d.points.map((p) => ({ t: Date.parse(p.t), alt: p.alt, moon: p.moon, sun: p.sun }));
  const tw = d.twilights;
  let t0 = pts[0].t, t1 = pts[pts.length - 1].t;
  if (tw.sunset && tw.sunrise) { t0 = Math.max(t0, Date.parse(tw.sunset) - 1.5 * HOUR); t1 = Math.min(t1, Date.parse(tw.sunrise) + 1.5 * HOUR); }
  const x = (t) => L + (t - t0) / (t1 - t0) * (W - L - R);
  const y = (alt) => T + (90 - Math.max(-5, Math.min(90, alt))) / 95 * (H - T - B);
  const el = (name, attrs, text) => { const e = document.createElementNS(svgNS, name); for (const k in attrs) e.setAttribute(k, attrs[k]); if (text != null) e.textContent = text; return e; };
  const kids = [el("desc", { id: "tg-desc" }, `Altitude of the target (RA ${d.ra}°, Dec ${d.dec}°) at ${d.site.name} on the night of ${d.date}, with the Moon, the twilights and the activities near the target`)];
  // sky brightness bands from the Sun's altitude
  const band = (s) => s > -0.833 ? "day" : s > -6 ? "civil" : s > -12 ? "nautical" : s > -18 ? "astro" : "night";
  // one rectangle per run of samples in the same band
  for (let i = 0; i + 1 < pts.length;) {
    const cls = band((pts[i].sun + pts[i + 1].sun) / 2);
    let j = i + 1;
    while (j + 1 < pts.length && band((pts[j].sun + pts[j + 1].sun) / 2) === cls) j++;
    const a = Math.max(t0, pts[i].t), b = Math.min(t1, pts[j].t);
    if (b > a) kids.push(el("rect", { class: "tw " + cls, x: x(a).toFixed(1), y: T, width: (x(b) - x(a)).toFixed(1), height: H - T - B }));
    i = j;
  }
  for (const alt of [0, 30, 60, 90]) {
    kids.push(el("line", { class: "gridl", x1: L, x2: W - R, y1: y(alt), y2: y(alt) }));
    kids.push(el("text", { x: L - 6, y: y(alt) + 4, "text-anchor": "end" }, alt + "°"));
  }
  for (let t = Math.ceil(t0 / HOUR) * HOUR; t <= t1; t += HOUR) {
    const h = new Date(t).getUTCHours();
    kids.push(el("line", { class: "axis", x1: x(t), x2: x(t), y1: H - B, y2: H - B + 5 }));
    if (h % 2 === 0) kids.push(el("text", { x: x(t), y: H - B + 18, "text-anchor": "middle" }, String(h).padStart(2, "0") + "h"));
  }
  kids.push(el("text", { x: W - R, y: H - 6, "text-anchor": "end" }, "UTC"));
  kids.push(el("line", { class: "axis", x1: L, x2: W - R, y1: y(0), y2: y(0) }));
  const line = (key, cls) => el("polyline", { class: cls, points: pts.filter((p) => p.t >= t0 - 600e3 && p.t <= t1 + 600e3).map((p) => `${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join(" ") });
  kids.push(line("moon", "moon"), line("alt", "target"));
  // activities on and near the target during the chart
  const near = nearTarget(current());
  let shown = 0;
  for (const a of near) {
    if (a._e < t0 || a._s > t1) continue;
    const x0 = x(Math.max(t0, a._s)), x1 = Math.max(x0 + 3, x(Math.min(t1, a._e)));
    const r = el("rect", { class: "act " + a.kind, x: x0, y: T - 14 + (shown % 2) * 6, width: x1 - x0, height: 5 });
    r.append(el("title", {}, `${a.facility} ${a.instrument || ""} ${fmtTime(a._s)} ${a.kind}`));
    kids.push(r); shown++;
  }
  const now = Date.now();
  if (now > t0 && now < t1) kids.push(el("line", { class: "nowl", x1: x(now), x2: x(now), y1: T, y2: H - B }));
  kids.push(el("text", { x: L, y: 14 }, `${state.tname || "target"} at ${d.site.name} (${d.site.lat.toFixed(2)}°, ${d.site.lon.toFixed(2)}°), night of ${d.date} — target solid, Moon dashed`));
  svg.replaceChildren(...kids);
  const best = d.points.reduce((m, p) => (p.sun < -18 && p.alt > m.alt ? p : m), { alt: -90 });
  $("tg-title").textContent = `${state.tname || ""} RA ${Number(state.tra).toFixed(3)}°, Dec ${Number(state.tdec).toFixed(3)}°`;
  $("tg-summary").textContent = `Moon ${(d.moon.illumination * 100).toFixed(0)}% illuminated, ${d.moon.separation}° from the target at midnight. ` +
    (best.alt > -90 ? `Highest in astronomical darkness: ${best.alt.toFixed(1)}° at ${best.t.slice(11, 16)} UTC. ` : "Not above the horizon in astronomical darkness. ") +
    `Sunset ${(tw.sunset || "—").slice(11, 16)}, astronomical dusk ${(tw.astro_dusk || "—").slice(11, 16)}, dawn ${(tw.astro_dawn || "—").slice(11, 16)}, sunrise ${(tw.sunrise || "—").slice(11, 16)} UTC.`;
}

function nearTarget(c) {
  const ra = Number(state.tra), dec = Number(state.tdec);
  if (!state.tra || !Number.isFinite(ra) || !Number.isFinite(dec)) return [];
  return c.all.filter((a) => a._pos && S.separation(ra, dec, a.target.ra, a.target.dec) <= 1 + (a.target.fov_radius || 0));
}

let tgActsKey = "";
function drawTargetActs(c) {
  const key = c.key + state.tra + state.tdec + state.sel;
  if (key === tgActsKey) return;
  tgActsKey = key;
  const near = nearTarget(c);
  const ul = $("tg-acts");
  if (!near.length) { ul.replaceChildren(Object.assign(document.createElement("li"), { textContent: "none among the activities shown" })); return; }
  ul.replaceChildren(...near.slice(0, 200).map((a) => {
    const li = document.createElement("li"); const b = document.createElement("button"); b.type = "button";
    const sep = S.separation(Number(state.tra), Number(state.tdec), a.target.ra, a.target.dec);
    b.textContent = `${fmtTime(a._s)} ${a.facility} ${a.instrument || ""} — ${a.target.name || "?"} (${a.kind === "started" ? "under way" : a.kind}, ${(sep * 60).toFixed(1)}′)`;
    b.addEventListener("click", () => select(a.id));
    li.append(b); return li;
  }));
  if (tgData) drawTarget();
}

// ---- filters, views, search ----
function syncControls() {
  const form = $("filters");
  for (const k of FILTERS) form.elements[k].value = state.f[k] || "";
  const span = $("tl-span");
  if (![...span.options].some((o) => Number(o.value) === state.span)) {
    const o = document.createElement("option"); o.value = state.span; o.textContent = `${(state.span / 3600).toFixed(1)} h`; span.append(o);
  }
  span.value = String(state.span);
  for (const a of document.querySelectorAll(".tabs a")) {
    if (a.dataset.view === state.view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    const p = new URLSearchParams(location.search); p.set("view", a.dataset.view); a.href = "?" + p.toString();
  }
  for (const v of VIEWS) $("view-" + v).hidden = v !== state.view;
  $("sky-alerts").checked = state.alerts; $("sky-retracted").checked = state.retracted; $("sky-pointings").checked = state.pointings;
  syncTargetForm();
}

function setView(v, push) {
  state.view = v;
  writeURL(push);
  syncControls();
  if (v === "target") loadTarget();
  if (v === "sky" && !sky.data) loadSkyData();
  if (v === "subs") loadSubs();
  schedule();
}

function setupControls() {
  const form = $("filters");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    state.f = {};
    for (const k of FILTERS) { const v = form.elements[k].value.trim(); if (v) state.f[k] = v; }
    writeURL(true); schedule();
  });
  $("clear").addEventListener("click", () => { state.f = {}; syncControls(); writeURL(true); schedule(); });
  for (const a of document.querySelectorAll(".tabs a")) a.addEventListener("click", (e) => { e.preventDefault(); setView(a.dataset.view, true); });
  window.addEventListener("popstate", () => {
    readURL(); syncControls();
    if (state.view === "target") loadTarget();
    if (state.view === "subs") loadSubs();
    if (state.asel && !state.sel) showAlertDetail(alertStore.byId.get(state.asel));
    schedule();
  });
  $("tg-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const nameChanged = f.tname.value.trim() !== state.tname;
    state.tname = f.tname.value.trim(); state.tra = f.tra.value.trim(); state.tdec = f.tdec.value.trim();
    if (nameChanged && state.tname) { state.tra = ""; state.tdec = ""; }
    state.site = f.site.value.trim() || "Paranal"; state.date = f.date.value;
    writeURL(true); loadTarget(); tgActsKey = ""; schedule();
  });
  const lookup = async () => {
    const name = $("lookup-name").value.trim();
    const out = $("lookup-results");
    if (!name) return;
    const r = await fetch("/api/astro/lookup?name=" + encodeURIComponent(name));
    const j = await r.json();
    if (!r.ok) { out.replaceChildren(Object.assign(document.createElement("li"), { textContent: j.error })); return; }
    const note = j.note ? [Object.assign(document.createElement("li"), { className: "lookup-note", textContent: j.note })] : [];
    if (!j.targets.length) { out.replaceChildren(Object.assign(document.createElement("li"), { textContent: `nothing named “${name}” in the embedded catalogues` }), ...note); return; }
    out.replaceChildren(...note, ...j.targets.slice(0, 12).map((x) => {
      const li = document.createElement("li");
      if (x.kind === "site") {
        const b = document.createElement("button"); b.type = "button"; b.textContent = `Use site ${x.name}`;
        b.addEventListener("click", () => { state.site = x.site_id; setView("target", true); loadTarget(); });
        li.append(b);
      } else {
        // A resolver's answer (kind "object") names the service, the database behind it and the object type.
        const from = x.kind === "object" ? [x.catalogue, x.database].filter(Boolean).join("/") + (x.type ? `, ${x.type}` : "") : x.catalogue;
        const b = document.createElement("button"); b.type = "button"; b.textContent = `${x.name} (${from}): target page`;
        b.addEventListener("click", () => { state.tname = x.name; state.tra = String(x.ra); state.tdec = String(x.dec); setView("target", true); });
        const c = document.createElement("button"); c.type = "button"; c.textContent = "cone 1°";
        c.addEventListener("click", () => { state.f.ra = x.ra.toFixed(5); state.f.dec = x.dec.toFixed(5); state.f.radius = "1"; syncControls(); writeURL(true); schedule(); });
        li.append(b, " ", c);
      }
      return li;
    }));
  };
  $("lookup-go").addEventListener("click", lookup);
  $("lookup-name").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); lookup(); } });
  // theme
  const btn = $("theme");
  const apply = (dark) => { document.documentElement.dataset.theme = dark ? "dark" : "light"; btn.setAttribute("aria-pressed", String(dark)); schedule(); if (tgData) drawTarget(); };
  const saved = localStorage.getItem("arcsecond-theme");
  apply(saved ? saved === "dark" : matchMedia("(prefers-color-scheme: dark)").matches);
  btn.addEventListener("click", () => { const dark = document.documentElement.dataset.theme !== "dark"; localStorage.setItem("arcsecond-theme", dark ? "dark" : "light"); apply(dark); });
  new ResizeObserver(() => schedule()).observe($("views"));
}

// ---- subscriptions ----
const list = (v) => v.split(",").map((x) => x.trim()).filter(Boolean);

// The API key of "My subscriptions" lives in this tab's session storage,
// never in the address; subApi sends it as a bearer token with every
// subscription request. A node without accounts ignores it.
const KEY = "arcsecond-api-key";
const apiKey = () => { try { return sessionStorage.getItem(KEY) || ""; } catch { return ""; } };
function setKey(k) { try { if (k) sessionStorage.setItem(KEY, k); else sessionStorage.removeItem(KEY); } catch { /* storage off: the key is not kept */ } }
function subApi(path, init = {}) {
  const headers = new Headers(init.headers || {});
  const k = apiKey();
  if (k) headers.set("Authorization", "Bearer " + k);
  return fetch(path, { ...init, headers, cache: "no-store", credentials: "same-origin" });
}
async function bodyOf(r) { try { return await r.json(); } catch { return {}; } }

// problem explains a failed subscription request to the user.
function problem(r, j, what) {
  const why = j && j.error ? ": " + j.error : "";
  switch (r.status) {
    case 401:
      return apiKey()
        ? "Your API key was refused (401): it is wrong, revoked or expired. Sign in again with a valid key."
        : "This node has accounts: sign in with your API key to see and manage your subscriptions (401).";
    case 403: return `${what} is not allowed for your key (403)${why}.`;
    case 404: return `${what}: not found (404) — it does not exist or is not yours.`;
    case 429: {
      // Without Retry-After it is a cap (the node's subscriptions), not a rate.
      const s = Number(r.headers.get("Retry-After"));
      return s > 0 ? `Too many requests (429): ${what.toLowerCase()} again in ${s} s.` : `${what} refused (429)${why}.`;
    }
    default: return `${what} failed (${r.status})${why}.`;
  }
}

// showAuth reflects the sign-in state: needed is true when the node
// answered 401 to the last listing.
function showAuth(needed) {
  const k = apiKey(), st = $("signin-state");
  $("signout").hidden = !k;
  $("signin-fields").hidden = !!k && !needed;
  $("subs-area").hidden = !!needed;
  st.textContent = k ? `Signed in with the key ${k.slice(0, 12)}…` : needed ? "Not signed in: this node needs an API key." : "Not signed in (this node lets anyone manage subscriptions).";
}

// subsListing counts the listings started: a listing answered after a
// newer one started (a sign-out then a sign-in, a change while listing)
// is stale, and neither shows its rows nor signs anyone out.
let subsListing = 0;

async function loadSubs() {
  const auth = $("sub-auth"), n = ++subsListing, key = apiKey();
  try {
    // The list is paged (limit, cursor, next): read every page.
    const subs = [];
    let cursor = "";
    for (let page = 0; page < 50; page++) {
      const r = await subApi("/api/subscriptions?limit=1000" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      const j = await bodyOf(r);
      if (n !== subsListing) return;
      if (!r.ok) {
        auth.textContent = problem(r, j, "Listing the subscriptions");
        // Only the key this listing was sent with is forgotten.
        if (r.status === 401) { if (apiKey() === key) setKey(""); showAuth(true); }
        return;
      }
      subs.push(...(j.subscriptions || []));
      cursor = j.next || "";
      if (!cursor) break;
    }
    auth.textContent = "";
    showAuth(false);
    const body = $("subs").tBodies[0];
    body.replaceChildren(...subs.map((sub) => {
      const tr = document.createElement("tr");
      const c = sub.criteria || {};
      const crit = Object.entries(c).map(([k, v]) => k + ": " + (Array.isArray(v) ? v.map((x) => typeof x === "object" ? JSON.stringify(x) : x).join(", ") : v)).join("; ");
      const d = sub.delivery || {};
      for (const v of [sub.id + (sub.paused ? " (paused)" : ""), crit, Object.keys(d).filter((k) => k !== "rate_per_hour").join(", ") || "stored only"]) { const td = document.createElement("td"); td.textContent = v; td.title = v; tr.append(td); }
      const td = document.createElement("td");
      const m = document.createElement("button"); m.type = "button"; m.textContent = "Matches"; m.setAttribute("aria-label", "Matches of " + sub.id);
      m.addEventListener("click", () => loadMatches(sub.id, sub.owner));
      const del = document.createElement("button"); del.type = "button"; del.textContent = "Delete"; del.setAttribute("aria-label", "Delete " + sub.id);
      del.addEventListener("click", async () => {
        if (!confirm(`Delete the subscription ${sub.id}?`)) return;
        const r = await subApi(subPath(sub.id, sub.owner), { method: "DELETE" });
        $("sub-msg").textContent = r.ok ? `Deleted ${sub.id}.` : problem(r, await bodyOf(r), `Deleting ${sub.id}`);
        loadSubs();
      });
      const button = (text, label, onClick) => {
        const b = document.createElement("button"); b.type = "button"; b.textContent = text; b.setAttribute("aria-label", label + " " + sub.id);
        b.addEventListener("click", onClick);
        return b;
      };
      // Another owner's, shown to an admin without its targets, cannot be
      // edited here (saving would lose them).
      const hidden = (d.webhook && d.webhook.url === "(hidden)") || (d.email && d.email.to === "(hidden)");
      const edit = button("Edit", "Edit", () => editSub(sub));
      edit.hidden = hidden;
      const verb = sub.paused ? "resume" : "pause";
      const pause = button(sub.paused ? "Resume" : "Pause", sub.paused ? "Resume" : "Pause", async () => {
        const r = await subApi(subPath(sub.id, sub.owner, "/" + verb), { method: "POST" });
        $("sub-msg").textContent = r.ok ? `${sub.paused ? "Resumed" : "Paused"} ${sub.id}.` : problem(r, await bodyOf(r), `${sub.paused ? "Resuming" : "Pausing"} ${sub.id}`);
        loadSubs();
      });
      const test = button("Send test", "Send a test notification to", async () => {
        const r = await subApi(subPath(sub.id, sub.owner, "/test"), { method: "POST" });
        const j = await bodyOf(r);
        $("sub-msg").textContent = !r.ok ? problem(r, j, `Testing ${sub.id}`) : `Test of ${sub.id}: ` + (j.deliveries || []).map((x) =>
          `${x.channel} ${x.ok ? "delivered" : "failed"}${x.status ? " (HTTP " + x.status + ")" : ""}${x.reason ? ": " + x.reason : ""}`).join("; ");
      });
      td.append(m, " ", edit, " ", pause, " ", test, " ", del); tr.append(td);
      return tr;
    }));
  } catch (e) { if (n === subsListing) auth.textContent = "Listing the subscriptions failed: " + e; }
}

// editSub fills the form with sub; saving it then replaces sub (PUT),
// keeping its webhook's secret.
function editSub(sub) {
  const form = $("sub-form"), f = form.elements, c = sub.criteria || {};
  form.reset();
  form.dataset.editId = sub.id;
  form.dataset.editOwner = sub.owner || "";
  f.id.value = sub.id;
  f.id.readOnly = true;
  for (const k of ["sources", "facilities", "instruments", "kinds", "targets"]) f[k].value = (c[k] || []).join(", ");
  const cone = (c.regions || []).find((x) => x && x.radius !== undefined);
  if (cone) { f.ra.value = cone.ra; f.dec.value = cone.dec; f.radius.value = cone.radius; }
  const wh = (sub.delivery || {}).webhook;
  if (wh && wh.url !== "(hidden)") f.webhook.value = wh.url;
  $("sub-submit").textContent = "Save";
  $("sub-cancel").hidden = false;
  $("sub-msg").textContent = `Editing ${sub.id}: other criteria and the e-mail address are kept as they are.`;
  form.editing = sub;
  f.sources.focus();
}

function endEdit() {
  const form = $("sub-form");
  delete form.dataset.editId; delete form.dataset.editOwner; form.editing = null;
  form.elements.id.readOnly = false;
  $("sub-submit").textContent = "Create";
  $("sub-cancel").hidden = true;
  form.reset();
}

// The matches shown are refreshed every few seconds while there is none
// yet or a delivery is pending, as long as the view shows them.
let matchesOf = "", matchesTimer = 0;
function stopMatches() { matchesOf = ""; clearTimeout(matchesTimer); }
// subPath is the API path of the subscription id of owner: IDs are scoped
// per owner, and an admin names another owner's with ?owner=.
function subPath(id, owner, tail = "", query = {}) {
  const q = new URLSearchParams(query);
  if (owner) q.set("owner", owner);
  const qs = q.toString();
  return "/api/subscriptions/" + encodeURIComponent(id) + tail + (qs ? "?" + qs : "");
}
async function loadMatches(id, owner) {
  clearTimeout(matchesTimer);
  matchesOf = id;
  let r, j;
  try {
    r = await subApi(subPath(id, owner, "/matches", { limit: 50 }));
    j = await bodyOf(r);
  } catch (e) { r = { ok: false, status: 0, headers: new Headers() }; j = { error: String(e) }; }
  if (matchesOf !== id) return;
  $("sub-matches-h").textContent = `Recent matches of ${id}`;
  const ul = $("sub-matches");
  if (!r.ok) { ul.replaceChildren(Object.assign(document.createElement("li"), { textContent: problem(r, j, `The matches of ${id}`) })); return; }
  const ms = j.matches || [];
  const again = !ms.length || ms.some((m) => (m.deliveries || []).some((d) => d.state === "pending"));
  if (again) matchesTimer = setTimeout(() => { if (matchesOf === id && state.view === "subs" && !document.hidden) loadMatches(id, owner); else stopMatches(); }, 3000);
  if (!ms.length) { ul.replaceChildren(Object.assign(document.createElement("li"), { textContent: "no match yet" })); return; }
  ul.replaceChildren(...ms.map((m) => {
    const li = document.createElement("li"); li.className = "match";
    const ds = (m.deliveries || []).map((d) => `${d.channel} ${d.state}${d.attempts > 1 ? " after " + d.attempts + " attempts" : ""}${d.last_error ? " (" + d.last_error + ")" : ""}`).join(", ");
    li.textContent = `${String(m.at).slice(0, 19).replace("T", " ")} ${m.activity} — ${ds || "no delivery"}`;
    return li;
  }));
}

function setupSubs() {
  const form = $("sub-form");
  $("signin").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("api-key"), k = input.value.trim();
    input.value = "";
    if (!k) { $("sub-auth").textContent = "Paste your API key (arc_…) to sign in."; return; }
    setKey(k);
    $("sub-msg").textContent = "";
    loadSubs();
  });
  $("signout").addEventListener("click", () => {
    setKey("");
    stopMatches();
    for (const id of ["sub-msg", "sub-auth"]) $(id).textContent = "";
    $("subs").tBodies[0].replaceChildren();
    $("sub-matches").replaceChildren();
    $("sub-matches-h").textContent = "Recent matches";
    showAuth(false);
    loadSubs();
    $("api-key").focus();
  });
  $("sub-cancel").addEventListener("click", () => { endEdit(); $("sub-msg").textContent = ""; });
  $("sub-cone").addEventListener("click", () => { for (const k of ["ra", "dec", "radius"]) form.elements[k].value = state.f[k] || ""; });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = form.elements, msg = $("sub-msg");
    const criteria = {};
    for (const k of ["sources", "facilities", "instruments", "kinds", "targets"]) { const v = list(f[k].value); if (v.length) criteria[k] = v; }
    if (f.ra.value || f.dec.value || f.radius.value) criteria.regions = [{ ra: Number(f.ra.value), dec: Number(f.dec.value), radius: Number(f.radius.value) }];
    const body = { id: f.id.value.trim(), criteria };
    if (f.webhook.value.trim()) body.delivery = { webhook: { url: f.webhook.value.trim() } };
    const old = form.editing;
    if (old) {
      // What the form does not show is kept: the other criteria, the
      // e-mail address, the rate; the webhook keeps its secret (PUT).
      const kept = { ...(old.criteria || {}) };
      for (const k of ["sources", "facilities", "instruments", "kinds", "targets"]) delete kept[k];
      if (criteria.regions) kept.regions = (kept.regions || []).filter((x) => x.radius === undefined);
      body.criteria = { ...kept, ...criteria };
      if (criteria.regions && kept.regions.length) body.criteria.regions = [...kept.regions, ...criteria.regions];
      if (old.match_all) body.match_all = true;
      const d = { ...(old.delivery || {}) };
      delete d.webhook;
      if (body.delivery) d.webhook = body.delivery.webhook;
      if (Object.keys(d).length) body.delivery = d; else delete body.delivery;
    }
    const doing = old ? "Saving" : "Creating", not = old ? "Not saved" : "Not created";
    let r;
    try {
      r = old ? await subApi(subPath(old.id, old.owner), { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        : await subApi("/api/subscriptions", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    } catch (err) { msg.textContent = `${not}: ` + err; return; }
    const j = await bodyOf(r);
    if (!r.ok) {
      const p = problem(r, j, `${doing} ${body.id}`);
      msg.textContent = r.status === 400 || r.status === 409 ? `${not}: ${j.error}` : `${not}. ` + p;
      if (r.status === 401) { setKey(""); showAuth(true); $("sub-auth").textContent = p; }
      return;
    }
    if (old) endEdit();
    msg.replaceChildren(`${old ? "Saved" : "Created"} ${j.id}.`);
    const secret = j.delivery && j.delivery.webhook && (j.delivery.webhook.secrets || [])[0];
    if (secret) {
      const code = document.createElement("code"); code.id = "sub-secret"; code.textContent = secret;
      msg.append(" Webhook signing secret (shown once, keep it): ", code);
    }
    form.reset();
    loadSubs();
  });
}

// ---- data in ----
function setStatus(text, ok) { const s = $("status"); s.textContent = text; s.className = "status " + (ok ? "ok" : "bad"); }

async function loadAll() {
  let cursor = "";
  try {
    for (let page = 0; page < 50; page++) {
      const r = await fetch("/api/activities?limit=1000" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      const j = await r.json();
      queue.push(...(j.activities || []));
      schedule();
      if (!j.next) break;
      cursor = j.next;
    }
  } catch (e) { setStatus("REST error: " + e, false); }
}

function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/activities/live`);
  // The history is read once the stream is open, so that nothing arriving
  // in between is lost (ingest keeps the highest revision).
  ws.onopen = () => { setStatus("live", true); loadAll(); };
  ws.onmessage = (ev) => { try { queue.push(JSON.parse(ev.data)); stats.live = (stats.live || 0) + 1; schedule(); } catch (e) { console.error(e); } };
  ws.onclose = () => { setStatus("disconnected; reconnecting…", false); setTimeout(connect, 2000); };
}

async function loadSources() {
  try {
    const r = await fetch("/api/sources");
    const j = await r.json();
    const body = $("sources").tBodies[0];
    body.replaceChildren(...(j.sources || []).map((s) => {
      const tr = document.createElement("tr");
      for (const [v, cls] of [[s.name], [s.state + (s.replay_done ? " (replayed)" : ""), "state-" + s.state], [s.polls], [s.failures]]) {
        const td = document.createElement("td"); td.textContent = v; if (cls) td.className = cls; tr.append(td);
      }
      return tr;
    }));
  } catch (e) { /* keep the last table */ }
}

// The test hooks: figures of the last frame, and a way to feed activities.
window.dash = {
  stats, state,
  ingest(list) { return ingest(list); },
  ingestAlerts(list) { return ingestAlerts(list); },
  alerts: alertStore, layers: L,
  // skyXY is where (ra, dec) is on the sky map, in CSS pixels from its
  // top left corner.
  skyXY(ra, dec) { const p = S.hammer(S.wrap180(ra - state.skyc), dec); return [sky.w / 2 + p[0] * sky.sc, sky.h / 2 - (p[1] - state.skyy) * sky.sc]; },
  setView, select, selectAlert, sky: S,
  renderNow() { const t0 = performance.now(); renderView(); return performance.now() - t0; },
};

readURL();
setupControls();
setupTimeline();
setupSky();
setupTable();
setupSubs();
syncControls();
if (state.view === "target") loadTarget();
if (state.view === "subs") loadSubs();
loadSkyData();
setInterval(loadSkyData, 60e3);
setInterval(schedule, 30e3); // the now-line moves
connect();
connectAlerts();
loadBands();
loadSources();
setInterval(loadSources, 5000);
if (state.asel && !state.sel) showAlertDetail(null);
if (state.sel) fetch("/api/activities/" + encodeURIComponent(state.sel)).then((r) => r.ok ? r.json() : null).then((a) => { if (a) { ingest([a]); showDetail(store.byId.get(a.id)); } });
