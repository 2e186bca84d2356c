package arcsecond

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
	"github.com/arcsecond-go/arcsecond/connectors/gcn"
)

// recordedAlerts decodes real GCN notices into alerts: the Classic binary
// packets of connectors/gcn/testdata (GECAM, MAXI, Swift BAT positions) and,
// when the shared fixtures are present, gcn-schema's JSON examples with an
// ellipse (CHIME), a rectangle (MAXI), HEALPix maps (Fermi GBM, BurstCube)
// and a retraction (MAXI). Test notices are left out.
func recordedAlerts(t *testing.T) []alerts.Alert {
	t.Helper()
	var out []alerts.Alert
	add := func(name string, n *gcn.Notice, err error) {
		if err != nil {
			t.Fatalf("decoding %s: %v", name, err)
		}
		for _, a := range n.Alerts {
			if !a.Test {
				out = append(out, a)
			}
		}
	}
	for _, typ := range []string{"GECAM_GND", "MAXI_UNKNOWN", "SWIFT_BAT_GRB_POS_ACK", "SWIFT_BAT_TRANS"} {
		b, err := os.ReadFile(filepath.Join("connectors/gcn/testdata/classic", typ, "example.bin"))
		if err != nil {
			t.Fatal(err)
		}
		n, err := gcn.Decode("gcn.classic.binary."+typ, b)
		add(typ, n, err)
	}
	dir := "../shared/fixtures/archives/gcn/notices"
	if _, err := os.Stat(dir); err != nil {
		t.Logf("shared fixtures absent (%v): only the Classic notices", err)
		return out
	}
	for _, f := range []string{"chime/frb.detection.example.json", "maxi/gsc.unknown.rectangle.example.json",
		"fermi/gbm/trigger.final.example.json", "fermi/gbm/trigger.flight1.example.json", "burstcube/alert.example.json",
		"maxi/gsc.known.example.json", "maxi/gsc.known.retraction.example.json", "icecube/lvk_nu_track_search.example.json"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		n, err := gcn.Decode("", b)
		add(f, n, err)
	}
	return out
}

// shapeAlert is an active alert with the localization l, triggered at trig.
func shapeAlert(key string, l *alerts.Localization, trig time.Time) alerts.Alert {
	return alerts.Alert{
		ID: alerts.NewID("test", key), Revision: 1, Source: "test", Status: alerts.StatusActive,
		Mission: "TestSat", Instrument: "WFC", EventType: "x-ray transient", Names: []string{"Test " + key},
		TriggerTime: trig, Localization: l, Significance: alerts.Significance{SNR: alerts.Float(12.5), FAR: alerts.Float(3e-8)},
		Links: []alerts.Link{{Title: "circular", URL: "https://gcn.nasa.gov/circulars/1"}},
	}
}

// countActivities reads GET /api/activities with the query q, every page.
func countActivities(t *testing.T, base string, q url.Values) (n int, facilities map[string]int) {
	t.Helper()
	facilities = map[string]int{}
	q.Set("limit", "1000")
	for {
		resp, err := http.Get(base + "/api/activities?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET /api/activities?%s: %d %s", q.Encode(), resp.StatusCode, b)
		}
		var page struct {
			Activities []activities.Activity `json:"activities"`
			Next       string                `json:"next"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Activities {
			n++
			if !a.Start.IsZero() || !a.End.IsZero() {
				facilities[a.Facility]++
			}
		}
		if page.Next == "" {
			return n, facilities
		}
		q.Set("cursor", page.Next)
	}
}

// pixelsJS counts, in a square of side 2·half+1 device pixels centred dx,
// dy CSS pixels from (ra, dec) on the sky map's canvas, the pixels within
// 40 per channel of the CSS colour variable v.
const pixelsJS = `((ra, dec, v, dx, dy, half) => {
	const cv = document.getElementById("sky"), ctx = cv.getContext("2d");
	const [x, y] = dash.skyXY(ra, dec), k = cv.width / cv.clientWidth;
	const probe = document.createElement("canvas").getContext("2d");
	probe.fillStyle = getComputedStyle(document.documentElement).getPropertyValue(v).trim(); probe.fillRect(0, 0, 1, 1);
	const c = probe.getImageData(0, 0, 1, 1).data;
	const d = ctx.getImageData(Math.round((x + dx) * k) - half, Math.round((y + dy) * k) - half, 2 * half + 1, 2 * half + 1).data;
	let n = 0;
	for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - c[0]) < 40 && Math.abs(d[i + 1] - c[1]) < 40 && Math.abs(d[i + 2] - c[2]) < 40) n++;
	return n;
})`

// TestDashboardAlertsPointingsBands drives the sky map's overlays and the
// band filter in headless chromium during a replay. Alerts recorded by
// GCN and alerts of every shape, ingested through Node.IngestAlert before
// and after the page loads, are drawn as they are on the sky (an ellipse
// along its position angle, a polygon across RA 0, one round the south
// pole), listed, and selected by a click or the keyboard; a retraction
// hides its alert unless retracted alerts are asked for. Activities under
// way that carry a pointing show where each spacecraft points now (the
// latest per facility). A band in the address restores the same view and
// keeps the activities GET /api/activities?band= keeps. axe-core finds no
// serious violation in the sky view in either theme, and the sky map
// screenshot (docs/screenshots/sky.png with ARCSECOND_UPDATE_SCREENSHOTS=1)
// is taken with the alerts.
func TestDashboardAlertsPointingsBands(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := newBrowser(t, 1400, 900)
	acts := replayed(t)
	ts := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 1000, Wait: 1500 * time.Millisecond}})
	bg := context.Background()
	now := time.Now().UTC()

	// Alerts before the page: the recorded ones and one of each shape.
	ellipse := shapeAlert("ellipse", &alerts.Localization{Shape: alerts.Ellipse, RA: 100, Dec: 30, SemiMajor: 8, SemiMinor: 2, PA: 40, Containment: 0.9}, now.Add(-3*time.Hour))
	across := shapeAlert("across-ra-0", &alerts.Localization{Shape: alerts.Polygon, RA: 1, Dec: -30,
		Vertices: [][2]float64{{355, -36}, {7, -36}, {7, -24}, {355, -24}}}, now.Add(-2*time.Hour))
	pole := shapeAlert("south-pole", &alerts.Localization{Shape: alerts.Polygon, RA: 0, Dec: -90,
		Vertices: [][2]float64{{0, -75}, {120, -75}, {240, -75}}}, now.Add(-90*time.Minute))
	healpix := shapeAlert("healpix", alerts.CircleAt(200, 10, 6), now.Add(-time.Hour))
	healpix.Mission, healpix.EventType = "LVK", "gw"
	healpix.SkyMap = &alerts.SkyMap{Format: "healpix", URL: "https://gracedb.ligo.org/api/superevents/S0/files/bayestar.multiorder.fits"}
	doomed := shapeAlert("doomed", alerts.CircleAt(300, 45, 5), now.Add(-30*time.Minute))
	shapes := []alerts.Alert{ellipse, across, pole, healpix, doomed}
	recorded := recordedAlerts(t)
	drawn := 0
	for _, a := range append(recorded, shapes...) {
		if _, err := ts.node.IngestAlert(bg, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range append(recorded, shapes...) {
		// the store keeps the latest revision: count what it holds
		if h, ok, _ := ts.node.Alerts().Get(bg, a.ID); ok && h.Revision == a.Revision && h.Status == alerts.StatusActive && h.Localization != nil {
			drawn++
		}
	}

	// Spacecraft under way: replayed activities with a pointing, made
	// "started" now; for one facility an older one too (the later wins).
	var pointed []activities.Activity
	seen := map[string]bool{}
	for _, a := range acts {
		if a.Pointing != nil && a.Pointing.Roll != nil && !seen[a.Facility] && len(pointed) < 2 {
			seen[a.Facility] = true
			pointed = append(pointed, a)
		}
	}
	if len(pointed) < 2 {
		t.Fatalf("the replay has %d facilities with a pointing and a roll, want 2", len(pointed))
	}
	var under []activities.Activity
	for i, a := range pointed {
		b := a
		b.ID, b.Kind, b.Revision = a.ID+":now", activities.KindStarted, 1
		b.Start, b.End = now.Add(-20*time.Minute), now.Add(40*time.Minute)
		under = append(under, b)
		if i == 0 {
			old := b
			old.ID = a.ID + ":earlier"
			old.Start, old.End = now.Add(-3*time.Hour), now.Add(-2*time.Hour)
			p, _ := activities.NewPointing(a.Pointing.RA+40, -a.Pointing.Dec/2, activities.Float(10))
			old.Pointing, old.Footprints = &p, nil
			under = append(under, old)
		}
	}
	if _, err := ts.node.Feed().Ingest(bg, under...); err != nil {
		t.Fatal(err)
	}
	want := len(acts) + len(under)

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/?view=sky"), chromedp.WaitVisible("#sky")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "window.dash", 10*time.Second)
	waitJS(t, ctx, fmt.Sprintf("dash.stats.total >= %d", want), 90*time.Second)
	waitJS(t, ctx, fmt.Sprintf("dash.stats.alertShapes === %d", drawn), 10*time.Second)

	// The localizations are drawn where they are on the sky: the map is
	// centred on each and its outline's pixels checked.
	look := func(ra, dec, zoom float64) {
		eval[bool](t, ctx, fmt.Sprintf(`(dash.state.skyc = %g, dash.state.skyz = %g, dash.state.skyy = dash.sky.hammer(0, %g)[1], dash.renderNow(), true)`, ra, zoom, dec))
	}
	on := func(what string, ra, dec float64, want bool) {
		t.Helper()
		n := eval[int](t, ctx, fmt.Sprintf(`%s(%g, %g, "--alert", 0, 0, 3)`, pixelsJS, ra, dec))
		if (n > 0) != want {
			t.Errorf("%s at (%.3f, %.3f): %d alert-coloured pixels, want %v", what, ra, dec, n, want)
		}
	}
	offset := func(ra, dec, sep, bearing float64) (float64, float64) {
		p := eval[[]float64](t, ctx, fmt.Sprintf(`dash.sky.offset(%g, %g, %g, %g)`, ra, dec, sep, bearing))
		return p[0], p[1]
	}
	look(100, 30, 6)
	for _, c := range []struct {
		what         string
		sep, bearing float64
		onTheOutline bool
	}{
		{"the ellipse's major axis tip (PA 40°)", 8, 40, true},
		{"the other tip", 8, 220, true},
		{"the minor axis tip", 2, 130, true},
		{"beyond the minor axis, where the major axis would be at PA 130°", 6, 130, false},
		{"beyond the minor axis, at PA 310°", 6, 310, false},
	} {
		ra, dec := offset(100, 30, c.sep, c.bearing)
		on(c.what, ra, dec, c.onTheOutline)
	}
	look(0, -30, 5)
	on("the polygon's edge at RA 7°", 7, -30, true)
	on("the polygon's edge at RA 355°", 355, -30, true)
	on("the polygon's corner at RA 355°, Dec -24°", 355, -24, true)
	on("inside the polygon across RA 0", 1, -33, false)
	look(180, 0, 1)
	on("the polygon cut at the map's edge, its RA 7° side", 7, -30, true)
	on("the polygon cut at the map's edge, its RA 355° side", 355, -30, true)
	look(0, -70, 3)
	on("the polar polygon's vertex at RA 0", 0, -75, true)
	on("the polar polygon's vertex at RA 240", 240, -75, true)
	look(0, 0, 1)

	// A click on an alert shows its details and keeps it in the address.
	click := func(ra, dec float64) {
		t.Helper()
		xy := eval[[]float64](t, ctx, fmt.Sprintf(`(() => { const r = document.getElementById("sky").getBoundingClientRect(); const p = dash.skyXY(%g, %g); return [r.left + p[0], r.top + p[1]]; })()`, ra, dec))
		if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
			t.Fatal(err)
		}
		eval[bool](t, ctx, frameDone)
	}
	look(100, 30, 3)
	click(100, 30)
	detail := eval[string](t, ctx, `document.getElementById("h-detail").textContent + " | " + document.getElementById("detail-body").textContent`)
	for _, w := range []string{"Selected alert", "TestSat / WFC", "x-ray transient", "ellipse 8° × 2°", "position angle 40°", "S/N 12.5", "false alarm rate", "circular", ellipse.ID} {
		if !strings.Contains(detail, w) {
			t.Errorf("after a click on the ellipse the details %q lack %q", detail, w)
		}
	}
	if q := eval[string](t, ctx, "location.search"); !strings.Contains(q, "alert="+url.QueryEscape(ellipse.ID)) {
		t.Errorf("the selected alert is not in the address %q", q)
	}
	look(0, 0, 1)

	// The list: every alert, reachable by keyboard; the HEALPix one says
	// its map is not drawn.
	n := eval[int](t, ctx, `document.querySelectorAll("#alert-list button[data-alert]").length`)
	if stored, _ := ts.node.Alerts().Find(bg, alerts.Query{IncludeRetracted: true}); n != len(stored) {
		t.Errorf("the alert list has %d entries, the node %d alerts", n, len(stored))
	}
	sel := fmt.Sprintf(`#alert-list button[data-alert=%q]`, healpix.ID)
	if err := chromedp.Do(ctx, chromedp.Focus(sel), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, frameDone)
	if d := eval[string](t, ctx, `document.getElementById("detail-body").textContent`); !strings.Contains(d, "HEALPix probability map") || !strings.Contains(d, "LVK") || !strings.Contains(d, "sky map file") {
		t.Errorf("the HEALPix alert selected by the keyboard shows %q", d)
	}
	if l := eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, sel)); !strings.Contains(l, "HEALPix map: region shown") {
		t.Errorf("the HEALPix alert's entry %q does not say what is drawn", l)
	}

	// Live: an alert ingested now appears; its retraction hides it, and it
	// comes back, marked, when retracted alerts are asked for.
	live := shapeAlert("live", &alerts.Localization{Shape: alerts.Ellipse, RA: 250, Dec: -40, SemiMajor: 5, SemiMinor: 3, PA: 120}, now)
	if _, err := ts.node.IngestAlert(bg, live); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf("dash.stats.alertShapes === %d && dash.stats.liveAlerts >= 1", drawn+1), 10*time.Second)
	retract := doomed
	retract.Revision, retract.Status, retract.Message = 2, alerts.StatusRetracted, "not astrophysical"
	if _, err := ts.node.IngestAlert(bg, retract); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf("dash.stats.alertShapes === %d", drawn), 10*time.Second)
	look(300, 45, 4)
	on("the retracted alert's outline", 300, 50, false)
	entry := fmt.Sprintf(`document.querySelector('#alert-list button[data-alert=%q]').textContent`, doomed.ID)
	if e := eval[string](t, ctx, entry); !strings.Contains(e, "retracted") {
		t.Errorf("the retracted alert's entry reads %q", e)
	}
	eval[bool](t, ctx, `(document.getElementById("sky-retracted").click(), true)`)
	waitJS(t, ctx, fmt.Sprintf("dash.stats.alertShapes === %d && location.search.includes('retracted=1')", drawn+1), 10*time.Second)
	look(0, 0, 1)

	// Pointings: one marker per facility, at the latest activity's
	// pointing.
	waitJS(t, ctx, "dash.stats.pointings >= 2", 10*time.Second)
	for _, a := range under {
		if strings.HasSuffix(a.ID, ":earlier") {
			continue
		}
		q := fmt.Sprintf(`[...document.querySelectorAll("#point-list button")].find(b => b.dataset.id === %q)`, a.ID)
		if !eval[bool](t, ctx, "!!"+q) {
			t.Errorf("no pointing listed for %s (%s)", a.Facility, a.ID)
			continue
		}
		txt := eval[string](t, ctx, q+".textContent")
		if !strings.Contains(txt, fmt.Sprintf("RA %.2f°", a.Pointing.RA)) || !strings.Contains(txt, fmt.Sprintf("roll %.1f°", *a.Pointing.Roll)) {
			t.Errorf("the pointing of %s reads %q", a.Facility, txt)
		}
		look(a.Pointing.RA, a.Pointing.Dec, 2)
		// the crosshair's arms, 8 px either side of the boresight
		px := 0
		for _, d := range [][2]int{{8, 0}, {-8, 0}, {0, 8}, {0, -8}} {
			if eval[int](t, ctx, fmt.Sprintf(`%s(%g, %g, "--point", %d, %d, 1)`, pixelsJS, a.Pointing.RA, a.Pointing.Dec, d[0], d[1])) > 0 {
				px++
			}
		}
		if px < 3 {
			t.Errorf("%s: %d of the crosshair's 4 arms drawn at the pointing", a.Facility, px)
		}
	}
	if eval[bool](t, ctx, fmt.Sprintf(`[...document.querySelectorAll("#point-list button")].some(b => b.dataset.id === %q)`, pointed[0].ID+":earlier")) {
		t.Errorf("the earlier pointing of %s is shown: want only the latest", pointed[0].Facility)
	}
	look(0, 0, 1)

	// Accessibility of the sky view with its overlays, in both themes.
	axe, err := os.ReadFile("testdata/axe-core/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	for _, theme := range []string{"dark", "light"} {
		eval[bool](t, ctx, fmt.Sprintf(`(document.documentElement.dataset.theme !== %q && document.getElementById("theme").click(), true)`, theme))
		eval[bool](t, ctx, frameDone)
		if bad := eval[[]string](t, ctx, axeSerious); len(bad) > 0 {
			t.Errorf("axe-core, sky view with alerts, %s theme:\n  %s", theme, strings.Join(bad, "\n  "))
		}
	}

	// The sky map screenshot, with the alerts and the pointings.
	eval[bool](t, ctx, `(document.getElementById("theme").click(), document.getElementById("filters-box").open = false, true)`)
	eval[bool](t, ctx, fmt.Sprintf(`(history.replaceState(null, "", "?view=sky&alert=%s"), dispatchEvent(new PopStateEvent("popstate")), true)`, url.QueryEscape(ellipse.ID)))
	waitJS(t, ctx, `document.getElementById("sky-info").textContent.includes("Sun")`, 10*time.Second)
	waitJS(t, ctx, `dash.stats.skyPending === 0`, 10*time.Second)
	eval[bool](t, ctx, `(document.activeElement.blur(), window.scrollTo(0, 0), true)`)
	eval[bool](t, ctx, frameDone)
	screenshot(t, ctx, "sky")

	// An address with a selected alert and the overlays' switches
	// restores them in a new tab.
	shared := newTab(t, ctx)
	if err := chromedp.Do(shared, chromedp.Navigate(ts.base+"/?view=sky&retracted=1&pointings=0&alert="+url.QueryEscape(ellipse.ID)), chromedp.WaitVisible("#sky")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, shared, `window.dash && document.getElementById("detail-body").textContent.includes("Test ellipse")`, 30*time.Second)
	waitJS(t, shared, fmt.Sprintf("dash.stats.alertShapes === %d && dash.stats.pointings === 0", drawn+1), 10*time.Second)
	if c := eval[[]bool](t, shared, `["sky-alerts", "sky-retracted", "sky-pointings"].map(id => document.getElementById(id).checked)`); fmt.Sprint(c) != "[true true false]" {
		t.Errorf("the overlays' switches in the new tab: %v, want alerts and retracted on, pointings off", c)
	}
	eval[bool](t, shared, `(document.getElementById("sky-alerts").click(), true)`)
	waitJS(t, shared, "dash.stats.alertShapes === 0 && location.search.includes('alerts=0')", 10*time.Second)

	// On a phone the sky view, its legend and its lists fit the width.
	phone := newTab(t, ctx)
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(ts.base+"/?view=sky"), chromedp.WaitVisible("#sky")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, phone, fmt.Sprintf("window.dash && dash.stats.alertShapes === %d", drawn), 30*time.Second)
	if w := eval[int](t, phone, `document.documentElement.scrollWidth`); w > 400 {
		t.Errorf("the sky view on a 390-pixel phone is %d pixels wide: it scrolls sideways", w)
	}

	// Bands: the band in the address (an alias here) keeps what the node's
	// band query keeps, in the table and on the timeline, and a new tab
	// with the same address shows the same view.
	for _, band := range []string{"xray", "optical"} {
		total, facilities := countActivities(t, ts.base, url.Values{"band": {band}})
		if total == 0 {
			t.Errorf("no replayed activity in the %s band: the check would be empty", band)
		}
		alias := map[string]string{"xray": "x-ray", "optical": "visible"}[band]
		tab := newTab(t, ctx)
		if err := chromedp.Do(tab, chromedp.Navigate(ts.base+"/?view=table&band="+alias), chromedp.WaitVisible("#tbl")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, tab, fmt.Sprintf("window.dash && dash.stats.total >= %d", want), 30*time.Second)
		eval[bool](t, tab, frameDone)
		st := eval[dashStats](t, tab, statsJS)
		if st.Shown != total {
			t.Errorf("band=%s: the table shows %d activities, GET /api/activities?band=%s %d", alias, st.Shown, band, total)
		}
		if rc := eval[string](t, tab, `document.getElementById("tbl").getAttribute("aria-rowcount")`); rc != fmt.Sprint(total+1) {
			t.Errorf("band=%s: aria-rowcount %s, want %d", alias, rc, total+1)
		}
		if q, v := eval[string](t, tab, "location.search"), eval[string](t, tab, `document.querySelector('#filters select[name="band"]').value`); !strings.Contains(q, "band="+band) || v != band {
			t.Errorf("band=%s: the address became %q and the select reads %q, want the band's name %s", alias, q, v, band)
		}
		eval[bool](t, tab, `(dash.setView("timeline", true), true)`)
		eval[bool](t, tab, `(dash.state.span = 1209600, dash.renderNow(), true)`)
		if lanes := eval[[]string](t, tab, `[...document.querySelectorAll("#lanes li")].map(li => li.textContent)`); len(lanes) != len(facilities) {
			t.Errorf("band %s: lanes %v, want one per facility of %v", band, lanes, facilities)
		}
	}
	// Through the form: the band goes into the address, which restores it.
	eval[bool](t, ctx, `(document.getElementById("filters-box").open = true, dash.setView("table", true), true)`)
	if err := chromedp.Do(ctx, chromedp.SetValue(`#filters select[name="band"]`, "xray"), chromedp.Click(`#filters button[type="submit"]`)); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, frameDone)
	href := eval[string](t, ctx, "location.href")
	if u, err := url.Parse(href); err != nil || u.Query().Get("band") != "xray" {
		t.Fatalf("the address %q does not carry band=xray", href)
	}
	v1 := eval[dashStats](t, ctx, statsJS)
	tab := newTab(t, ctx)
	if err := chromedp.Do(tab, chromedp.Navigate(href), chromedp.WaitVisible("#tbl")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, fmt.Sprintf("window.dash && dash.stats.total >= %d", want), 30*time.Second)
	eval[bool](t, tab, frameDone)
	v2 := eval[dashStats](t, tab, statsJS)
	for _, v := range []*dashStats{&v1, &v2} {
		// the other views' figures are those of their last frame
		v.Live, v.SkyMarks, v.Lanes, v.TimelineMarks, v.Rows = 0, 0, 0, 0, 0
	}
	if v1 != v2 {
		t.Errorf("the address did not restore the band's view:\n first tab %+v\n new tab   %+v", v1, v2)
	}
	const firstRows = `[...document.querySelectorAll("#tbl tbody tr[data-id]")].slice(0, 10).map(tr => tr.dataset.id).join(" ")`
	if r1, r2 := eval[string](t, ctx, firstRows), eval[string](t, tab, firstRows); r1 != r2 || r1 == "" {
		t.Errorf("the band's table differs in the new tab:\n first tab %s\n new tab   %s", r1, r2)
	}
}
