package arcsecond

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
	"github.com/arcsecond-go/arcsecond/catalogs"
	"github.com/arcsecond-go/arcsecond/internal/loadavg"
)

// replayed returns the activities a replay announces, the highest
// revision of each.
func replayed(t *testing.T) []activities.Activity {
	t.Helper()
	srcs, err := newReplaySources(ReplayOptions{}, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]activities.Activity{}
	for _, s := range srcs {
		for _, it := range s.items {
			if old, ok := byID[it.a.ID]; !ok || it.a.Revision > old.Revision {
				byID[it.a.ID] = it.a
			}
		}
	}
	out := make([]activities.Activity, 0, len(byID))
	for _, a := range byID {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

type dashStats struct {
	Lanes, TimelineMarks, SkyMarks, Rows, Total, Shown, Live int
	View                                                     string
}

const statsJS = `({Lanes: dash.stats.lanes, TimelineMarks: dash.stats.timelineMarks, SkyMarks: dash.stats.skyMarks,
	Rows: dash.stats.rows, Total: dash.stats.total || 0, Shown: dash.stats.shown || 0, Live: dash.stats.live || 0, View: dash.stats.view})`

// frameDone waits for the dashboard to draw a frame after the last change.
const frameDone = `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`

// TestDashboardBrowser drives the dashboard in headless chromium during a
// replay: the timeline gets one lane per replayed facility and marks, the
// sky map a mark per positioned activity, the table a virtualized row set;
// a filtered view's address, opened in a new tab, restores the same view;
// axe-core finds no serious or critical violation in any view, in either
// theme; and the screenshots are taken (into docs/screenshots with
// ARCSECOND_UPDATE_SCREENSHOTS=1).
func TestDashboardBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := newBrowser(t, 1400, 900)
	acts := replayed(t)
	want := len(acts)
	facilities := map[string]int{}
	withPos := 0
	for _, a := range acts {
		if !a.Start.IsZero() || !a.End.IsZero() {
			facilities[a.Facility]++
		}
		if a.Target.RA != nil {
			withPos++
		}
	}
	ts := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 1000, Wait: 1500 * time.Millisecond}})
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/?view=timeline"), chromedp.WaitVisible("#tl")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "window.dash", 10*time.Second)
	first := eval[dashStats](t, ctx, statsJS)
	waitJS(t, ctx, fmt.Sprintf("dash.stats.total >= %d", want), 90*time.Second)
	eval[bool](t, ctx, frameDone)
	st := eval[dashStats](t, ctx, statsJS)
	t.Logf("at load %+v; after the replay %+v", first, st)
	if first.Total >= want {
		t.Errorf("the page had all %d activities at once: the replay did not arrive live", first.Total)
	}
	if st.Live == 0 {
		t.Error("no activity arrived over the WebSocket")
	}
	if s := eval[string](t, ctx, `document.getElementById("status").textContent`); s != "live" {
		t.Errorf("status %q, want live", s)
	}
	// Timeline: one lane per facility, named in the lane list, and marks.
	if st.Lanes != len(facilities) {
		t.Errorf("%d lanes, want %d (one per facility)", st.Lanes, len(facilities))
	}
	lanes := eval[[]string](t, ctx, `[...document.querySelectorAll("#lanes li")].map(li => li.textContent)`)
	for f := range facilities {
		if !contains(lanes, f) {
			t.Errorf("no lane for %q in %v", f, lanes)
		}
	}
	if st.TimelineMarks == 0 {
		t.Error("no mark on the timeline")
	}
	// The keyboard selects activities on the timeline and shows them.
	if err := chromedp.Do(ctx, chromedp.Focus("#tl"), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, frameDone)
	if sel := eval[string](t, ctx, `dash.state.sel || ""`); sel == "" || !strings.Contains(eval[string](t, ctx, `document.getElementById("detail-body").textContent`), "facility") {
		t.Errorf("arrow keys on the timeline selected %q and showed no details", sel)
	}
	// Sky: one mark per activity with a position.
	eval[bool](t, ctx, `dash.setView("sky", true), true`)
	waitJS(t, ctx, fmt.Sprintf("dash.stats.view === 'sky' && dash.stats.skyMarks === %d", withPos), 10*time.Second)
	// Table: every activity counted, few rows in the document.
	eval[bool](t, ctx, `dash.setView("table", true), true`)
	waitJS(t, ctx, fmt.Sprintf("document.getElementById('tbl').getAttribute('aria-rowcount') === '%d'", want+1), 10*time.Second)
	rows := eval[int](t, ctx, `document.querySelectorAll("#tbl tbody tr[data-id]").length`)
	if rows == 0 || (want > 80 && rows >= want) {
		t.Errorf("%d table rows in the document for %d activities: want a virtualized window", rows, want)
	}

	// A filter set through the form is kept in the address, and the
	// address restores the same view in a new tab.
	busiest := ""
	for f, n := range facilities {
		if busiest == "" || n > facilities[busiest] || (n == facilities[busiest] && f < busiest) {
			busiest = f
		}
	}
	eval[bool](t, ctx, `dash.setView("timeline", true), true`)
	if err := chromedp.Do(ctx,
		chromedp.SetValue(`#filters input[name="facility"]`, busiest),
		chromedp.SetValue(`#tl-span`, "604800"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("tl-span").dispatchEvent(new Event("change"))`),
		chromedp.Click(`#filters button[type="submit"]`),
	); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, frameDone)
	href := eval[string](t, ctx, "location.href")
	u, err := url.Parse(href)
	if err != nil || u.Query().Get("facility") != busiest || u.Query().Get("span") != "604800" {
		t.Fatalf("the address %q does not carry the filter facility=%s and span", href, busiest)
	}
	type view struct {
		Stats dashStats
		Lanes []string
		Range string
		Form  string
	}
	viewJS := `({Stats: ` + statsJS + `, Lanes: [...document.querySelectorAll("#lanes li")].map(li => li.textContent),
		Range: document.getElementById("tl-range").textContent,
		Form: new URLSearchParams(new FormData(document.getElementById("filters"))).toString()})`
	v1 := eval[view](t, ctx, viewJS)
	if v1.Stats.Shown != facilities[busiest] || len(v1.Lanes) != 1 || v1.Lanes[0] != busiest {
		t.Errorf("filtered on %s: %+v, want %d activities in one lane", busiest, v1, facilities[busiest])
	}
	tab := newTab(t, ctx)
	if err := chromedp.Do(tab, chromedp.Navigate(href), chromedp.WaitVisible("#tl")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, fmt.Sprintf("window.dash && dash.stats.total >= %d", want), 30*time.Second)
	eval[bool](t, tab, frameDone)
	v2 := eval[view](t, tab, viewJS)
	// the other views' figures are those of their last frame
	for _, v := range []*view{&v1, &v2} {
		v.Stats.Live, v.Stats.SkyMarks, v.Stats.Rows = 0, 0, 0
	}
	if fmt.Sprint(v1) != fmt.Sprint(v2) {
		t.Errorf("the address did not restore the view:\n first tab %+v\n new tab   %+v", v1, v2)
	}

	// Target search by name through the embedded catalogues leads to the
	// target page with the star's altitude curve.
	std, err := catalogs.Standards()
	if err != nil {
		t.Fatal(err)
	}
	star := std.All()[0]
	if err := chromedp.Do(ctx, chromedp.SetValue("#lookup-name", star.Name), chromedp.Click("#lookup-go")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#lookup-results button")`, 10*time.Second)
	eval[bool](t, ctx, `(document.querySelector("#lookup-results button").click(), true)`)
	waitJS(t, ctx, `document.querySelector("#tg-chart polyline.target")`, 30*time.Second)
	if q := eval[string](t, ctx, "location.search"); !strings.Contains(q, "view=target") || !strings.Contains(q, "tra=") {
		t.Errorf("after choosing %q the address is %q", star.Name, q)
	}

	// Accessibility: axe-core on each view, in both themes.
	axe, err := os.ReadFile("testdata/axe-core/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	// The check can fail: an image without a text alternative is reported.
	selfCheck := eval[[]string](t, ctx, `(() => { const i = document.createElement("img"); i.id = "axe-probe"; i.src = "data:,";
		document.body.append(i);
		return axe.run(document, {runOnly: ["image-alt"]}).then(r => { i.remove(); return r.violations.map(v => v.impact + " " + v.id); }); })()`)
	if !contains(selfCheck, "critical image-alt") {
		t.Fatalf("axe-core did not report an image without alt: %v", selfCheck)
	}
	target := acts[0]
	for _, a := range acts {
		if a.Target.RA != nil && !a.Start.IsZero() {
			if _, err := catalogs.SiteByName(a.Observatory); err == nil {
				target = a
				break
			}
			if target.Target.RA == nil {
				target = a
			}
		}
	}
	site := "Paranal"
	if s, err := catalogs.SiteByName(target.Observatory); err == nil {
		site = s.ID
	}
	// nightOf is the civil date whose evening starts the night holding t at the site.
	day := target.Start.UTC()
	if cs, err := catalogs.SiteByName(site); err == nil {
		local := day.Add(time.Duration(cs.Longitude / 15 * float64(time.Hour)))
		day = local.Add(-12 * time.Hour)
	}
	tq := url.Values{"view": {"target"}, "tname": {target.Target.Name}, "tra": {fmt.Sprint(*target.Target.RA)},
		"tdec": {fmt.Sprint(*target.Target.Dec)}, "site": {site}, "date": {day.Format(time.DateOnly)}}
	for _, theme := range []string{"light", "dark"} {
		eval[bool](t, ctx, fmt.Sprintf(`(document.documentElement.dataset.theme !== %q && document.getElementById("theme").click(), true)`, theme))
		for _, v := range []string{"timeline", "sky", "table", "target", "subs"} {
			if v == "target" {
				eval[bool](t, ctx, fmt.Sprintf(`(history.replaceState(null, "", "?%s"), dispatchEvent(new PopStateEvent("popstate")), true)`, tq.Encode()))
				waitJS(t, ctx, `document.querySelector("#tg-chart polyline.target")`, 30*time.Second)
			} else {
				eval[bool](t, ctx, fmt.Sprintf(`dash.setView(%q, true), true`, v))
			}
			eval[bool](t, ctx, frameDone)
			if bad := eval[[]string](t, ctx, axeSerious); len(bad) > 0 {
				t.Errorf("axe-core, %s view, %s theme:\n  %s", v, theme, strings.Join(bad, "\n  "))
			}
		}
	}

	// Screenshots for the README, in the light theme.
	eval[bool](t, ctx, `(document.documentElement.dataset.theme !== "light" && document.getElementById("theme").click(), true)`)
	eval[bool](t, ctx, `(document.getElementById("filters-box").open = false, true)`)
	// the day holding the most replayed activities
	var busy time.Time
	var busyID string
	most := 0
	for _, a := range acts {
		n := 0
		for _, b := range acts {
			if d := b.Start.Sub(a.Start); !a.Start.IsZero() && d >= 0 && d < 18*time.Hour {
				n++
			}
		}
		if n > most {
			most, busy, busyID = n, a.Start.Add(8*time.Hour), a.ID
		}
	}
	eval[bool](t, ctx, fmt.Sprintf(`(history.replaceState(null, "", "?view=timeline&span=86400&at=%s"), dispatchEvent(new PopStateEvent("popstate")), dash.select(%q), true)`, busy.UTC().Format(time.RFC3339), busyID))
	eval[bool](t, ctx, frameDone)
	screenshot(t, ctx, "timeline")
	eval[bool](t, ctx, `(document.getElementById("theme").click(), dash.setView("sky", true), true)`)
	eval[bool](t, ctx, frameDone)
	waitJS(t, ctx, `document.getElementById("sky-info").textContent.includes("Sun")`, 10*time.Second)
	eval[bool](t, ctx, frameDone)
	// (the sky map's screenshot, with alerts, is TestDashboardAlertsPointingsBands's)
	eval[bool](t, ctx, fmt.Sprintf(`(document.getElementById("theme").click(), history.replaceState(null, "", "?%s"), dispatchEvent(new PopStateEvent("popstate")), true)`, tq.Encode()))
	waitJS(t, ctx, `document.querySelector("#tg-chart polyline.target")`, 30*time.Second)
	eval[bool](t, ctx, frameDone)
	screenshot(t, ctx, "target")
	// A phone: the layout reflows to one column.
	phone := newTab(t, ctx)
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(ts.base+"/?view=timeline&span=1209600"), chromedp.WaitVisible("#tl")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, phone, fmt.Sprintf("window.dash && dash.stats.total >= %d", want), 30*time.Second)
	eval[bool](t, phone, `(document.getElementById("filters-box").open = false, true)`)
	eval[bool](t, phone, frameDone)
	if w := eval[int](t, phone, `document.documentElement.scrollWidth`); w > 400 {
		t.Errorf("on a 390-pixel phone the page is %d pixels wide: it scrolls sideways", w)
	}
	screenshot(t, phone, "phone")
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestDashboardSkyGeometry checks the map's polygon cutting in the page's
// own module: a field across RA 180 (the edge of a map centred on RA 0)
// comes back as two pieces, one round a pole as one piece closed over that
// pole, and a field near RA 0 as one.
func TestDashboardSkyGeometry(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := newBrowser(t, 800, 600)
	ts := startNode(t, NodeOptions{})
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "window.dash", 10*time.Second)
	type pieces struct {
		N        int
		MinLon   float64
		MaxLon   float64
		PoleLats []float64
	}
	get := func(js string) pieces {
		return eval[pieces](t, ctx, `(() => { const S = dash.sky; const p = `+js+`;
			const all = p.flat(); return {N: p.length, MinLon: Math.min(...all.map(q => q[0])), MaxLon: Math.max(...all.map(q => q[0])),
			PoleLats: all.filter(q => Math.abs(q[1]) === 90).map(q => q[1])}; })()`)
	}
	for _, c := range []struct {
		name, js string
		n        int
		check    func(p pieces) bool
	}{
		{"across RA 180", `S.pieces(S.smallCircle(180.5, 10, 2), 0)`, 2, func(p pieces) bool { return p.MinLon == -180 && p.MaxLon == 180 }},
		{"across RA 0 on a map centred on 180", `S.pieces(S.smallCircle(359.5, -20, 2), 180)`, 2, func(p pieces) bool { return p.MinLon == -180 && p.MaxLon == 180 }},
		{"round the north pole", `S.pieces(S.smallCircle(10, 88, 5), 0)`, 1, func(p pieces) bool { return len(p.PoleLats) == 2 && p.PoleLats[0] == 90 }},
		{"round the south pole", `S.pieces(S.densify([[0, -80], [120, -80], [240, -80]]), 0)`, 1, func(p pieces) bool { return len(p.PoleLats) == 2 && p.PoleLats[0] == -90 }},
		{"near RA 0", `S.pieces(S.smallCircle(359.5, 0, 2), 0)`, 1, func(p pieces) bool { return p.MinLon > -3 && p.MaxLon < 3 }},
	} {
		p := get(c.js)
		if p.N != c.n || !c.check(p) {
			t.Errorf("%s: %+v, want %d piece(s)", c.name, p, c.n)
		}
	}
	// An alert's ellipse is drawn as the node tests it: the outline drawn
	// 2% smaller lies inside alerts.Localization.Contains, 2% larger
	// outside; near a pole, across RA 0, thin and round.
	for _, l := range []alerts.Localization{
		{Shape: alerts.Ellipse, RA: 10, Dec: -60, SemiMajor: 20, SemiMinor: 5, PA: 70},
		{Shape: alerts.Ellipse, RA: 359, Dec: 80, SemiMajor: 12, SemiMinor: 3, PA: 135},
		{Shape: alerts.Ellipse, RA: 200, Dec: 5, SemiMajor: 1.5, SemiMinor: 1.4, PA: 0},
	} {
		for _, c := range []struct {
			scale  float64
			inside bool
		}{{0.98, true}, {1.02, false}} {
			ring := eval[[][2]float64](t, ctx, fmt.Sprintf(`dash.sky.ellipse(%g, %g, %g, %g, %g, 72)`, l.RA, l.Dec, l.SemiMajor*c.scale, l.SemiMinor*c.scale, l.PA))
			if len(ring) != 73 {
				t.Fatalf("%v: %d points", l, len(ring))
			}
			bad := 0
			for _, p := range ring {
				ra := math.Mod(p[0]+720, 360)
				if l.Contains(ra, p[1]) != c.inside {
					bad++
				}
			}
			if bad > 0 {
				t.Errorf("%v drawn ×%g: %d of %d points are not %s the localization", l.String(), c.scale, bad, len(ring), map[bool]string{true: "inside", false: "outside"}[c.inside])
			}
		}
	}
	// The projection and its inverse agree.
	back := eval[[]float64](t, ctx, `dash.sky.inverseHammer(...dash.sky.hammer(-123.4, 56.7))`)
	if len(back) != 2 || abs(back[0]+123.4) > 1e-9 || abs(back[1]-56.7) > 1e-9 {
		t.Errorf("inverse of the projection: %v", back)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// synthJS makes n activities over the two weeks from t0 on 24 facilities,
// spread over the sky, a quarter of each kind, fields of 0.1° to 2°, some
// across RA 0 and near the poles.
const synthJS = `((n, t0) => {
	const kinds = ["planned", "started", "completed", "archived"], out = [];
	let seed = 12345; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	for (let i = 0; i < n; i++) {
		const s = t0 + rnd() * 14 * 86400e3, e = s + (5 + rnd() * 120) * 60e3;
		out.push({id: "synth:" + i, source: "synth" + (i % 3), kind: kinds[i % 4], facility: "Telescope " + String(i % 24).padStart(2, "0"),
			instrument: "Cam" + (i % 5), observatory: "", programme: {id: "P" + (i % 97), pi: "PI " + (i % 13)},
			target: {name: "T" + i, ra: rnd() * 360, dec: Math.asin(2 * rnd() - 1) * 180 / Math.PI, fov_radius: rnd() < 0.2 ? 0.1 + rnd() * 1.9 : 0.05},
			start: new Date(s).toISOString(), end: new Date(e).toISOString(), exposure_s: 300, links: [], revision: 1});
	}
	return out;
})`

// synthAlertsJS makes n alerts triggered over the two weeks from t0:
// circles of 1° to 15°, ellipses, and quadrilaterals, some across RA 0.
const synthAlertsJS = `((n, t0) => {
	const out = [];
	let seed = 777; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	for (let i = 0; i < n; i++) {
		const ra = rnd() * 360, dec = Math.asin(2 * rnd() - 1) * 180 / Math.PI, r = 1 + rnd() * 14;
		const loc = i % 3 === 0 ? {shape: "circle", ra, dec, radius: r}
			: i % 3 === 1 ? {shape: "ellipse", ra, dec, semi_major: r, semi_minor: r / 3, pa: rnd() * 180}
			: {shape: "polygon", ra, dec, vertices: [[(ra + 360 - r) % 360, Math.max(-89, dec - r / 2)], [(ra + r) % 360, Math.max(-89, dec - r / 2)], [(ra + r) % 360, Math.min(89, dec + r / 2)], [(ra + 360 - r) % 360, Math.min(89, dec + r / 2)]]};
		out.push({id: "synth-alert:" + i, revision: 1, source: "synth", status: "active", mission: "Sat" + (i % 7), event_type: "grb",
			names: [], trigger_time: new Date(t0 + rnd() * 14 * 86400e3).toISOString(), localization: loc, significance: {}, links: []});
	}
	return out;
})`

// synthPointingsJS makes one activity under way with a pointing, a roll
// and a field of 0.5° to 10° on each of synthJS's 24 facilities.
const synthPointingsJS = `((now) => {
	const out = [];
	for (let i = 0; i < 24; i++) out.push({id: "synth-pointing:" + i, source: "synth0", kind: "started", facility: "Telescope " + String(i).padStart(2, "0"),
		instrument: "Cam0", programme: {id: "P"}, target: {name: "P" + i, ra: i * 15, dec: (i % 7) * 20 - 60, fov_radius: 0.5 + (i % 5) * 2.4},
		pointing: {ra: i * 15, dec: (i % 7) * 20 - 60, roll: i * 13}, schema_version: 2,
		start: new Date(now - 600e3).toISOString(), end: new Date(now + 3600e3).toISOString(), links: [], revision: 1});
	return out;
})`

// TestDashboardTenThousand feeds 10,000 activities to the page and
// measures in the browser how long a frame of each view takes to draw
// (the timeline over two weeks with all of them in the window, the sky map
// with all of them, the virtualized table), and the frames while the
// timeline and the sky map are panned. The issue asks for frames under
// 50 ms; the figures (median, 95th percentile, maximum) are logged and
// written to out/dashboard-frames.json, not asserted (they depend on the
// machine's load). The marks drawn are asserted.
func TestDashboardTenThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := newBrowser(t, 1400, 900)
	ts := startNode(t, NodeOptions{})
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	at := t0.Add(7 * 24 * time.Hour).Format(time.RFC3339)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/?view=timeline&span=1209600&at="+at), chromedp.WaitVisible("#tl")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "window.dash", 10*time.Second)
	eval[bool](t, ctx, fmt.Sprintf(`dash.ingest(%s(10000, %d))`, synthJS, t0.UnixMilli()))
	eval[bool](t, ctx, frameDone)
	type result struct {
		View          string
		Marks         int
		FirstMs       float64
		MedianMs      float64
		MaxMs         float64
		PanFrames     int
		PanMedianMs   float64
		PanP95Ms      float64
		PanMaxMs      float64
		PanIntervalMs float64
		RestMs        float64
	}
	// Each view: draw it 20 times (the first draw also projects the sky
	// fields), then pan for 60 animation frames, timing each frame's work
	// and the interval between frames.
	measure := `(async (view) => {
		dash.setView(view, false);
		const marks = () => view === "timeline" ? dash.stats.timelineMarks : view === "sky" ? dash.stats.skyMarks : dash.stats.rows;
		const first = dash.renderNow(), drawn = marks(), t = [];
		for (let i = 0; i < 20; i++) t.push(dash.renderNow());
		t.sort((a, b) => a - b);
		const pan = [], gaps = [];
		let last = performance.now();
		for (let i = 0; i < 60; i++) {
			await new Promise(r => requestAnimationFrame(r));
			const now = performance.now(); gaps.push(now - last); last = now;
			if (view === "timeline") dash.state.at = (dash.state.at || Date.now()) + 3600e3;
			else if (view === "sky") dash.state.skyc += 3;
			else document.getElementById("tbl-wrap").scrollTop += 260;
			pan.push(dash.renderNow());
		}
		// the frame once the view rests (the sky map then draws every
		// outline it deferred while moving)
		await new Promise(r => setTimeout(r, 200));
		const rest = dash.renderNow();
		const s = pan.slice().sort((a, b) => a - b), g = gaps.slice(1).sort((a, b) => a - b);
		return {View: view, Marks: drawn, FirstMs: first, MedianMs: t[10], MaxMs: t[19], PanFrames: s.length,
			PanMedianMs: s[30], PanP95Ms: s[56], PanMaxMs: s[59], PanIntervalMs: g[Math.floor(g.length / 2)], RestMs: rest};
	})`
	var results []result
	for _, v := range []string{"timeline", "sky", "table", "sky+overlays"} {
		if v == "sky+overlays" {
			// The sky map again with 300 alerts and a pointing under way
			// on each of the 24 facilities, drawn over the fields.
			eval[bool](t, ctx, fmt.Sprintf(`(dash.ingestAlerts(%s(300, %d)), dash.ingest(%s(%d)), true)`, synthAlertsJS, t0.UnixMilli(), synthPointingsJS, time.Now().UnixMilli()))
			v = "sky"
		}
		r := eval[result](t, ctx, fmt.Sprintf("%s(%q)", measure, v))
		if len(results) == 3 {
			r.View = "sky+overlays"
			st := eval[[]int](t, ctx, `[dash.stats.alertShapes, dash.stats.alertOutlines, dash.stats.pointings]`)
			if st[0] != 300 || st[1] != 300 || st[2] != 24 {
				t.Errorf("at rest the sky map drew %d alerts (%d outlines) and %d pointings, want 300 (300) and 24", st[0], st[1], st[2])
			}
		}
		results = append(results, r)
		t.Logf("%-8s %5d marks: first draw %.1f ms, redraw median %.1f ms (max %.1f); panning %d frames: median %.1f ms, p95 %.1f ms, max %.1f ms; frame interval median %.1f ms; at rest %.1f ms",
			r.View, r.Marks, r.FirstMs, r.MedianMs, r.MaxMs, r.PanFrames, r.PanMedianMs, r.PanP95Ms, r.PanMaxMs, r.PanIntervalMs, r.RestMs)
		if r.View != "table" && r.Marks < 9000 {
			t.Errorf("%s drew %d marks of 10,000", r.View, r.Marks)
		}
		if r.View == "table" && (r.Marks == 0 || r.Marks > 200) {
			t.Errorf("the table put %d rows in the document for 10,000 activities", r.Marks)
		}
		// The issue asks for frames under 50 ms while the view moves. The
		// frame times depend on the machine and its load (the browser
		// shares the cores with the other test packages, under the race
		// detector in CI), so they are measured and reported here and in
		// the README, never asserted: a unit test makes no timing claim.
		if r.PanMedianMs >= 50 {
			t.Logf("%s: median frame work while panning %.1f ms, over the issue's 50 ms on this run (load average %s)", r.View, r.PanMedianMs, loadavg.String())
		}
	}
	b, _ := json.MarshalIndent(results, "", "  ")
	if err := os.MkdirAll("out", 0o755); err == nil {
		os.WriteFile("out/dashboard-frames.json", b, 0o644)
	}
}

// TestDashboardSubscription creates a webhook subscription through the
// Subscriptions view during a replay, takes the signing secret the page
// shows once, and checks that the webhook fires with a verified signature
// and that the page lists the subscription and its delivered matches.
func TestDashboardSubscription(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	hook := newHookReceiver(t, "swift-from-ui", "swift")
	ctx := newBrowser(t, 1200, 900)
	ts := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 3000, Wait: 6 * time.Second}, AllowPrivateWebhooks: true})
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/?view=subs"), chromedp.WaitVisible("#sub-form")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, submitSub("swift-from-ui", "swift", hook.URL+"/hook")...); err != nil {
		t.Fatal(err)
	}
	hook.takeSecret(t, ctx)
	// Without accounts no key is asked for.
	if st := eval[string](t, ctx, `document.getElementById("signin-state").textContent + document.getElementById("sub-auth").textContent`); !strings.Contains(st, "lets anyone") {
		t.Errorf("on a node without accounts the sign-in box says %q", st)
	}
	waitJS(t, ctx, `[...document.querySelectorAll("#subs tbody tr td:first-child")].some(td => td.textContent === "swift-from-ui")`, 10*time.Second)
	hook.waitVerified(t, 60*time.Second)
	eval[bool](t, ctx, `(document.querySelector('#subs button[aria-label="Matches of swift-from-ui"]').click(), true)`)
	waitJS(t, ctx, `[...document.querySelectorAll("#sub-matches li.match")].some(li => li.textContent.includes("webhook delivered"))`, 20*time.Second)
}
