// The sky map's overlays besides the fields of view: transient alerts'
// localizations (GET /api/alerts, /alerts/live) and where each spacecraft
// points now (activities carrying a pointing). Pure functions of the
// records; no DOM.
import * as S from "./sky.js";

// alertRings returns the outline of an alert's localization as closed
// rings of (ra, dec) points, drawn as they are on the sky: a circle, an
// ellipse at its position angle, a polygon with great-circle edges. A
// circle of radius 0 (a position without an error) has no outline.
export function alertRings(l) {
  if (!l) return [];
  switch (l.shape) {
    case "circle": return l.radius > 0 ? [S.smallCircle(l.ra, l.dec, l.radius, 96)] : [];
    case "ellipse": return l.semi_major > 0 && l.semi_minor > 0 ? [S.ellipse(l.ra, l.dec, l.semi_major, l.semi_minor, l.pa || 0)] : [];
    case "polygon": {
      const v = (l.vertices || []).filter((p) => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]));
      if (v.length < 3) return [];
      const ring = S.densify(v.map((p) => [p[0], p[1]]));
      ring.push(ring[0].slice()); // closed
      return [ring];
    }
  }
  return [];
}

// boundRadius is the radius in degrees of a circle round the
// localization's position that holds it: the circle's radius, the
// ellipse's semi-major axis, the farthest polygon vertex.
export function boundRadius(l) {
  if (!l) return 0;
  switch (l.shape) {
    case "circle": return l.radius || 0;
    case "ellipse": return l.semi_major || 0;
    case "polygon": return Math.max(0, ...(l.vertices || []).map((p) => S.separation(l.ra, l.dec, p[0], p[1])));
  }
  return 0;
}

// describe is a one-line human form of a localization.
export function describe(l) {
  if (!l) return "no localization";
  const c = l.containment ? `, ${Math.round(l.containment * 100)}% containment` : "";
  const at = `RA ${l.ra.toFixed(3)}°, Dec ${l.dec.toFixed(3)}°`;
  switch (l.shape) {
    case "circle": return l.radius > 0 ? `circle of radius ${fmtDeg(l.radius)} round ${at}${c}` : `position ${at} (no error given)`;
    case "ellipse": return `ellipse ${fmtDeg(l.semi_major)} × ${fmtDeg(l.semi_minor)} (semi-axes), position angle ${l.pa || 0}°, round ${at}${c}`;
    case "polygon": return `polygon of ${(l.vertices || []).length} vertices round ${at}${c}`;
  }
  return `${l.shape} at ${at}`;
}

// fmtDeg writes an angle in degrees, arcminutes or arcseconds.
export function fmtDeg(d) {
  if (d >= 1) return `${+d.toFixed(2)}°`;
  if (d * 60 >= 1) return `${+(d * 60).toFixed(2)}′`;
  return `${+(d * 3600).toFixed(2)}″`;
}

// alertTitle names an alert: its first name, else mission and event type.
export function alertTitle(a) {
  return (a.names && a.names[0]) || [a.mission, a.instrument, a.event_type].filter(Boolean).join(" ") || a.id;
}

// underWay reports whether activity a is under way at time now (ms): it is
// "started", or it is planned and its window holds now.
export function underWay(a, now) {
  return a.kind === "started" || (a.kind === "planned" && a._s <= now && now <= a._e);
}

// pointingsNow returns, per facility, the latest under-way activity of
// acts that carries a pointing (the one with the latest start), sorted by
// facility.
export function pointingsNow(acts, now) {
  const by = new Map();
  for (const a of acts) {
    const p = a.pointing;
    if (!p || !Number.isFinite(p.ra) || !Number.isFinite(p.dec) || !underWay(a, now)) continue;
    const f = a.facility || "?";
    const old = by.get(f);
    if (!old || (a._s || 0) > (old._s || 0)) by.set(f, a);
  }
  return [...by.values()].sort((x, y) => (x.facility < y.facility ? -1 : 1));
}

// fieldRings returns the field of view of a pointing activity as closed
// rings: its footprints when it has some, else a circle of the target's
// field radius round the pointing, else none (the field is unknown).
export function fieldRings(a) {
  const fps = (a.footprints || []).filter((f) => f && Array.isArray(f.polygon) && f.polygon.length >= 3);
  if (fps.length) return fps.map((f) => { const r = S.densify(f.polygon); r.push(r[0].slice()); return r; });
  const r = a.target && a.target.fov_radius;
  if (r > 0) return [S.smallCircle(a.pointing.ra, a.pointing.dec, r, 64)];
  return [];
}

// band finds a named band by name or alias, case-insensitively, in the
// list of GET bands.json.
export function findBand(bands, name) {
  const k = String(name || "").trim().toLowerCase();
  if (!k) return null;
  return bands.find((b) => b.name === k || (b.aliases || []).includes(k)) || null;
}

// inBand reports whether activity a's bandpass overlaps band b (an
// activity without a bandpass is in no band), as the node's band query
// does (activities.Query.Band).
export function inBand(a, b) {
  const bp = a.bandpass;
  return !!bp && bp.min_wavelength_m <= b.max_wavelength_m && b.min_wavelength_m <= bp.max_wavelength_m;
}

// fmtWavelength writes a wavelength in metres with a fitting unit.
export function fmtWavelength(m) {
  const units = [[1, "m"], [1e-3, "mm"], [1e-6, "µm"], [1e-9, "nm"], [1e-12, "pm"]];
  for (const [f, u] of units) if (m >= f) return `${+(m / f).toPrecision(3)} ${u}`;
  return `${m.toExponential(2)} m`;
}
