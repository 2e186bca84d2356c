// Same-run peer timings for the observing functions of astro (sunrise,
// moonrise, a 1,000-point altitude curve) and the apparent places, measured
// like bench/astro/bench.mjs (fastest batch of 64 calls). Run from
// bench/astro (needs its node_modules).
import * as AE from 'astronomy-engine';
import * as AA from 'aa-js';

const MS = Number(process.argv[2] || 300);
const JD0 = 2460389.5; // 2024-03-20 0h UTC
const obs = new AE.Observer(-24.6, -70.4, 2635);
const geo = { longitude: -70.4, latitude: -24.6, height: 2635 };
let sink = 0;
function measure(fn) {
  const B = 64;
  let k = 0;
  const batch = () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < B; i++, k++) fn(k % 100);
    return Number(process.hrtime.bigint() - t0);
  };
  for (let spent = 0; spent < MS * 2.5e5; ) spent += batch();
  let total = 0, calls = 0, best = Infinity;
  while (total < MS * 1e6) { const dt = batch(); total += dt; calls += B; best = Math.min(best, dt / B); }
  return { calls, wall: total / calls, min: best };
}
function measureBig(fn, n) { // for ms-scale calls: fastest single call
  let best = Infinity, total = 0, calls = 0;
  for (let i = 0; i < 3; i++) fn(i);
  while (total < MS * 1e6 || calls < n) {
    const t0 = process.hrtime.bigint(); fn(calls % 100); const dt = Number(process.hrtime.bigint() - t0);
    total += dt; calls++; best = Math.min(best, dt);
  }
  return { calls, wall: total / calls, min: best };
}
const aeT = (i) => AE.MakeTime(JD0 + i - 2451545.0);
const benches = [
  ['astronomy-engine/SunriseSearch(1 day)', (i) => { sink += AE.SearchRiseSet(AE.Body.Sun, obs, +1, aeT(i), 1)?.ut ?? 0; }],
  ['astronomy-engine/Sun rise+transit+set(1.5 days)', (i) => { const t = aeT(i); sink += (AE.SearchRiseSet(AE.Body.Sun, obs, +1, t, 1.5)?.ut ?? 0) + (AE.SearchHourAngle(AE.Body.Sun, obs, 0, t).time.ut) + (AE.SearchRiseSet(AE.Body.Sun, obs, -1, t, 1.5)?.ut ?? 0); }],
  ['astronomy-engine/MoonriseSearch(1 day)', (i) => { sink += AE.SearchRiseSet(AE.Body.Moon, obs, +1, aeT(i), 1)?.ut ?? 0; }],
  ['aa-js/Sun.getRiseTransitSet', (i) => { sink += AA.Sun.getRiseTransitSet(JD0 + i, geo).transit.julianDay ?? 0; }],
  ['aa-js/Moon.getRiseTransitSet', (i) => { sink += AA.Earth.Moon.getRiseTransitSet(JD0 + i, geo).transit.julianDay ?? 0; }],
];
for (const [name, fn] of benches) {
  const r = measure(fn);
  console.log(`BenchmarkNode/${name}\t${r.calls}\t${r.wall.toFixed(1)} ns/op\t${r.min.toFixed(1)} min-ns/op`);
}
const curve = (body) => (i) => {
  for (let k = 0; k < 1000; k++) {
    const t = AE.MakeTime(JD0 + i + 22 / 24 + k * 36 / 86400 - 2451545.0);
    const eq = AE.Equator(body, t, obs, true, true);
    sink += AE.Horizon(t, obs, eq.ra, eq.dec, 'normal').altitude;
  }
};
for (const [name, body] of [['Star(Vega)', null], ['Moon', AE.Body.Moon]]) {
  let fn = curve(body);
  if (!body) {
    AE.DefineStar(AE.Body.Star1, 18.615649, 38.783689, 1000);
    fn = curve(AE.Body.Star1);
  }
  const r = measureBig(fn, 20);
  console.log(`BenchmarkNode/astronomy-engine/AltitudeCurve1000-${name}\t${r.calls}\t${r.wall.toFixed(1)} ns/op\t${r.min.toFixed(1)} min-ns/op`);
}
