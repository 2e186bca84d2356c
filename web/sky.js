// Sky geometry for the dashboard: the Hammer–Aitoff projection with a
// movable central meridian, small circles and polygons cut at the map's
// edge (the meridian opposite the centre) and closed over a pole they
// contain. Pure functions of numbers; no DOM.
export const DEG = Math.PI / 180;

// wrap180 maps an angle in degrees to [-180, 180).
export function wrap180(x) { return ((x + 180) % 360 + 360) % 360 - 180; }

// hammer projects a longitude relative to the centre (degrees, in
// [-180, 180], east to the left as seen on the sky) and a latitude to the
// plane: x in [-2√2, 2√2], y in [-√2, √2], north up.
export function hammer(lon, lat) {
  const l = -lon * DEG, b = lat * DEG;
  const d = Math.sqrt(1 + Math.cos(b) * Math.cos(l / 2));
  return [2 * Math.SQRT2 * Math.cos(b) * Math.sin(l / 2) / d, Math.SQRT2 * Math.sin(b) / d];
}

// inverseHammer returns [lon, lat] relative to the centre for a point of
// the plane, or null outside the ellipse.
export function inverseHammer(x, y) {
  if ((x * x) / 8 + (y * y) / 2 > 1) return null;
  const z = Math.sqrt(1 - (x / 4) ** 2 - (y / 2) ** 2);
  const lon = -2 * Math.atan2(z * x, 2 * (2 * z * z - 1)) / DEG;
  const lat = Math.asin(Math.max(-1, Math.min(1, z * y))) / DEG;
  return [lon, lat];
}

// offset returns the (ra, dec) at separation s and bearing b (degrees,
// the bearing from north through east) from (ra, dec).
export function offset(ra, dec, s, b) {
  const d0 = dec * DEG, ss = s * DEG, t = b * DEG;
  const d = Math.asin(Math.max(-1, Math.min(1, Math.sin(d0) * Math.cos(ss) + Math.cos(d0) * Math.sin(ss) * Math.cos(t))));
  const a = ra * DEG + Math.atan2(Math.sin(t) * Math.sin(ss) * Math.cos(d0), Math.cos(ss) - Math.sin(d0) * Math.sin(d));
  return [a / DEG, d / DEG];
}

// smallCircle returns n+1 (ra, dec) points of the circle of radius r
// (degrees) round (ra, dec), a closed ring.
export function smallCircle(ra, dec, r, n = 48) {
  const pts = [];
  for (let i = 0; i <= n; i++) pts.push(offset(ra, dec, r, i / n * 360));
  return pts;
}

// ellipse returns n+1 (ra, dec) points of the ellipse of semi-axes a and b
// (degrees) round (ra, dec), its a axis at position angle pa (degrees,
// north through east), a closed ring. The ellipse is drawn as an alert's
// localization is tested (alerts.Localization.Contains): in the tangent
// plane at its centre, the point (a cos t, b sin t) along and across the
// major axis lies at the separation hypot(a cos t, b sin t) and the
// bearing pa + atan2(b sin t, a cos t).
export function ellipse(ra, dec, a, b, pa, n = 96) {
  const pts = [];
  for (let i = 0; i <= n; i++) {
    const t = i / n * 2 * Math.PI, u = a * Math.cos(t), v = b * Math.sin(t);
    pts.push(offset(ra, dec, Math.hypot(u, v), pa + Math.atan2(v, u) / DEG));
  }
  return pts;
}

// densify inserts points along the great-circle arcs of a ring so that
// no step exceeds maxStep degrees (a polygon's edges are great circles,
// which are curves on the map).
export function densify(ring, maxStep = 2) {
  const out = [];
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i], q = ring[(i + 1) % ring.length];
    out.push(p);
    if (i === ring.length - 1 && p[0] === ring[0][0] && p[1] === ring[0][1]) break;
    const u = vec(p), v = vec(q);
    const ang = Math.acos(Math.max(-1, Math.min(1, u[0] * v[0] + u[1] * v[1] + u[2] * v[2]))) / DEG;
    const n = Math.ceil(ang / maxStep);
    for (let k = 1; k < n; k++) {
      const f = k / n, s = Math.sin(ang * DEG);
      const a = Math.sin((1 - f) * ang * DEG) / s, b = Math.sin(f * ang * DEG) / s;
      const w = [a * u[0] + b * v[0], a * u[1] + b * v[1], a * u[2] + b * v[2]];
      out.push([Math.atan2(w[1], w[0]) / DEG, Math.asin(Math.max(-1, Math.min(1, w[2]))) / DEG]);
    }
  }
  return out;
}

function vec(p) { const a = p[0] * DEG, d = p[1] * DEG; return [Math.cos(d) * Math.cos(a), Math.cos(d) * Math.sin(a), Math.sin(d)]; }

// pieces cuts a ring of (ra, dec) points for a map centred on RA
// centre: it returns rings of [lon, lat] relative to the centre, each
// inside [-180, 180]. A ring that crosses the map's edge comes back as
// two pieces, each clamped to its side of the edge; a ring round a pole
// comes back as one piece closed along the edge over that pole.
export function pieces(ring, centre) {
  if (ring.length < 2) return [];
  const rel = ring.map(p => [wrap180(p[0] - centre), p[1]]);
  // unwrap: consecutive longitudes differ by less than 180
  const un = [rel[0].slice()];
  for (let i = 1; i < rel.length; i++) {
    let l = rel[i][0];
    const prev = un[i - 1][0];
    while (l - prev > 180) l -= 360;
    while (l - prev < -180) l += 360;
    un.push([l, rel[i][1]]);
  }
  const closed = ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1];
  let wind = un[un.length - 1][0] - un[0][0];
  if (!closed) {
    // close the ring through its first point
    let l = un[0][0];
    const prev = un[un.length - 1][0];
    while (l - prev > 180) l -= 360;
    while (l - prev < -180) l += 360;
    wind = l - un[0][0];
  }
  if (Math.abs(wind) > 180) {
    // Round a pole: follow the ring from -180 to +180 (in the direction of
    // travel) and close it over the pole it contains.
    const pole = un.reduce((s, p) => s + p[1], 0) > 0 ? 90 : -90;
    const out = [];
    const start = un.findIndex((p, i) => i > 0 && Math.abs(rel[i][0] - rel[i - 1][0]) > 180);
    const n = rel.length - (closed ? 1 : 0);
    const s0 = start < 0 ? 0 : start;
    for (let k = 0; k < n; k++) out.push(rel[(s0 + k) % n].slice());
    const edgeEnd = wind > 0 ? 180 : -180;
    out.unshift([-edgeEnd, out[0][1]]);
    out.push([edgeEnd, out[out.length - 1][1]], [edgeEnd, pole], [-edgeEnd, pole]);
    return [out];
  }
  let lo = Infinity, hi = -Infinity;
  for (const p of un) { lo = Math.min(lo, p[0]); hi = Math.max(hi, p[0]); }
  const clamp = (shift) => un.map(p => [Math.max(-180, Math.min(180, p[0] + shift)), p[1]]);
  if (hi > 180) return [clamp(0), clamp(-360)];
  if (lo < -180) return [clamp(0), clamp(360)];
  return [un];
}

// polyline cuts an open line of (ra, dec) points where it jumps across
// the map's edge: it returns runs of [lon, lat] relative to the centre.
export function polyline(line, centre) {
  const runs = [];
  let cur = [];
  let prev = null;
  for (const p of line) {
    const q = [wrap180(p[0] - centre), p[1]];
    if (prev && Math.abs(q[0] - prev[0]) > 180) { if (cur.length > 1) runs.push(cur); cur = []; }
    cur.push(q);
    prev = q;
  }
  if (cur.length > 1) runs.push(cur);
  return runs;
}

// separation is the angle between two (ra, dec) directions, in degrees.
export function separation(ra1, dec1, ra2, dec2) {
  const u = vec([ra1, dec1]), v = vec([ra2, dec2]);
  const c = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  return Math.atan2(Math.hypot(c[0], c[1], c[2]), u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / DEG;
}
