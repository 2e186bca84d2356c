package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
)

func TestAstroTimeJSON(t *testing.T) {
	out, _, code := runCLI(t, "astro", "time", "2026-11-20T03:00:00", "--site", "Paranal", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var got astroTimeOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// MJD from the Unix epoch (MJD 40587); TT−UTC = 37 s + 32.184 s in 2026.
	wantMJD := 40587 + float64(time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC).Unix())/86400
	if math.Abs(got.MJD-wantMJD) > 1e-9 {
		t.Errorf("MJD %.9f, want %.9f", got.MJD, wantMJD)
	}
	if d := (got.JDTT - got.JD) * 86400; math.Abs(d-69.184) > 1e-4 {
		t.Errorf("TT−UTC %.6f s, want 69.184", d)
	}
	if got.Site != "Cerro Paranal Observatory" || got.LAST <= 0 || got.LAST >= 24 {
		t.Errorf("site %q LAST %v", got.Site, got.LAST)
	}
	// LMST − GMST is the site's longitude (−70.40° = −4.69 h), modulo 24 h.
	d := math.Mod(got.LMST-got.GMST+48, 24)
	if math.Abs(d-(24-70.4045/15)) > 0.01 {
		t.Errorf("LMST−GMST %.4f h", d)
	}
}

func TestAstroSep(t *testing.T) {
	out, _, code := runCLI(t, "astro", "sep", "10,0", "11,0", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got astroSepOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.SeparationDeg-1) > 1e-9 || math.Abs(got.PositionAngle-90) > 1e-6 {
		t.Errorf("%+v", got)
	}
	out, _, code = runCLI(t, "astro", "sep", "00:00:00,+89:00:00", "12:00:00,+89:00:00")
	if code != 0 || !strings.Contains(out, "2.000000°") {
		t.Errorf("exit %d: %s", code, out)
	}
}

// The bodies' places against Swiss Ephemeris (three rows of the reference
// bodies.csv, /work/shared/reference/astro): geocentric apparent RA/Dec
// within 2″, Moon distance within 5 km.
func TestAstroPositionBodies(t *testing.T) {
	rows := []struct {
		body        astro.Body
		ttJD        float64
		ra, dec, km float64
	}{
		{astro.Sun, 2478448.38228246, 157.9556082, 9.2372511, 151106717.009},
		{astro.Moon, 2478448.38228246, 101.9597661, 19.5589262, 383243.733},
		{astro.Venus, 2478448.38228246, 129.9576112, 18.6158417, 212141881.932},
	}
	for _, r := range rows {
		tt, err := astro.FromJD(astro.TT, r.ttJD)
		if err != nil {
			t.Fatal(err)
		}
		o, err := newAstroObserver(tt.UTC(), astro.Site{})
		if err != nil {
			t.Fatal(err)
		}
		ra, dec, dist, err := o.apparent(astroTarget{Name: r.body.String(), Body: r.body})
		if err != nil {
			t.Fatal(err)
		}
		sep := astro.Separation(ra, dec, astro.Deg(r.ra), astro.Deg(r.dec)).Arcsec()
		if sep > 2 {
			t.Errorf("%s: %.2f″ from Swiss Ephemeris", r.body, sep)
		}
		if r.body == astro.Moon && math.Abs(dist-r.km) > 5 {
			t.Errorf("moon distance %.1f km, want %.1f", dist, r.km)
		}
	}
	out, _, code := runCLI(t, "astro", "position", "Moon", "--site", "Paranal", "--time", "2026-11-20T03:00", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var got astroPositionOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Alt == nil || got.MoonIllum == nil || *got.MoonIllum < 0.7 || *got.MoonIllum > 0.95 || got.DistanceKm < 356000 || got.DistanceKm > 407000 {
		t.Errorf("%s", out)
	}
}

func TestAstroNight(t *testing.T) {
	out, _, code := runCLI(t, "astro", "night", "--site", "Paranal", "--date", "2026-11-20", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var got struct {
		Events []astroEvent `json:"events"`
		Illum  float64      `json:"moon_illuminated_fraction"`
		Dark   float64      `json:"astronomical_night_hours"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"sunset", "sun: civil dusk", "sun: nautical dusk", "sun: astronomical dusk",
		"sun: astronomical dawn", "sun: nautical dawn", "sun: civil dawn", "sunrise"}
	var sunEv []string
	for _, e := range got.Events {
		if strings.HasPrefix(e.Event, "sun") {
			sunEv = append(sunEv, e.Event)
		}
	}
	if strings.Join(sunEv, "|") != strings.Join(want, "|") {
		t.Errorf("sun events %v", sunEv)
	}
	if got.Dark < 7 || got.Dark > 9 || got.Illum < 0.7 || got.Illum > 0.95 {
		t.Errorf("dark %.2f h, illumination %.2f", got.Dark, got.Illum)
	}
	// The Sun is near −0.8333° at the reported sunset (the SDK uses the
	// true semi-diameter and 33.6′ of refraction).
	site, _ := astroResolveSite("Paranal")
	for _, e := range got.Events {
		if e.Event != "sunset" {
			continue
		}
		tt, _ := time.Parse(time.RFC3339, e.UTC)
		alt, err := astroAltitudeFunc(site.Site, astroTarget{Body: astro.Sun})(astro.FromGo(tt))
		if err != nil || math.Abs(alt-astroHSun) > 0.02 {
			t.Errorf("sun altitude at sunset %.4f (%v)", alt, err)
		}
	}
}

func TestAstroRiseSetText(t *testing.T) {
	out, _, code := runCLI(t, "astro", "riseset", "Sun", "--site", "-70.4045,-24.6272,2635", "--date", "2026-11-20")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{"rise", "set", "transit", "civil dusk", "astronomical dawn"} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in\n%s", w, out)
		}
	}
}

// The chart's SVG has one curve per target (legend entries with their
// separation from the Moon), the three twilight bands, and one tick label
// per hour on the UT and local-time axes.
func TestAstroChartSVG(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "night.svg")
	out, _, code := runCLI(t, "astro", "chart", "--site", "Paranal", "--date", "2026-11-20", "--step", "10",
		"--target", "NGC 253=00:47:33,-25:17:18", "--target", "HD 49798=06:48:04.7,-44:18:58", "--out", svg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	if !strings.Contains(out, "13 hours from 2026-11-20 22:00 UT") {
		t.Errorf("summary %q", out)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, w := range []string{"civil twilight", "nautical twilight", "astronomical twilight", "astronomical night",
		"NGC 253 (Moon ", "HD 49798 (Moon ", "Moon (", "local time (America/Santiago)", "airmass", "UT (h)"} {
		if !strings.Contains(s, ">"+w) {
			t.Errorf("SVG has no text %q", w)
		}
	}
	// Tick labels: 14 UT hours 22..11 and 14 local hours 19..08.
	labels := regexp.MustCompile(`>(\d\d)</text>`).FindAllStringSubmatch(s, -1)
	count := map[string]int{}
	for _, l := range labels {
		count[l[1]]++
	}
	if len(labels) != 28 {
		t.Errorf("%d hour labels, want 28: %v", len(labels), count)
	}
	for _, h := range []string{"22", "23", "00", "10", "11", "19", "20", "21", "08"} {
		if count[h] == 0 {
			t.Errorf("no hour label %s", h)
		}
	}
	// Curves: the chart data behind it.
	site, _ := astroResolveSite("Paranal")
	tg, _ := astroResolveTarget("NGC 253=00:47:33,-25:17:18")
	d, err := astroComputeChart(site, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), []astroTarget{tg}, 600)
	if err != nil {
		t.Fatal(err)
	}
	if d.Hours() != 13 || len(d.Targets[0].Alt) != 13*6+1 {
		t.Errorf("%d hours, %d samples", d.Hours(), len(d.Targets[0].Alt))
	}
	kinds := map[string]int{}
	for _, b := range d.Bands {
		kinds[b.Kind]++
		if b.X2 <= b.X1 {
			t.Errorf("empty band %+v", b)
		}
	}
	// Dusk and dawn: each twilight twice, one night.
	if kinds["civil"] != 2 || kinds["nautical"] != 2 || kinds["astronomical"] != 2 || kinds["night"] != 1 {
		t.Errorf("bands %v", kinds)
	}
	// NGC 253 (apparent Dec −25.15° in 2026) culminates near 89.5°.
	maxAlt := 0.0
	for _, a := range d.Targets[0].Alt {
		maxAlt = math.Max(maxAlt, a)
	}
	if maxAlt < 89 || maxAlt > 89.6 {
		t.Errorf("NGC 253 max altitude %.2f", maxAlt)
	}
}

func TestAstroChartPNG(t *testing.T) {
	p := filepath.Join(t.TempDir(), "night.png")
	_, _, code := runCLI(t, "astro", "chart", "--site", "Paranal", "--date", "2026-11-20", "--step", "15",
		"--target", "Jupiter", "--out", p)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	r := img.Bounds()
	if r.Dx() < 1000 || r.Dy() < 600 {
		t.Errorf("size %v", r)
	}
	colors := map[uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y; y += 7 {
		for x := r.Min.X; x < r.Max.X; x += 7 {
			c0, c1, c2, _ := img.At(x, y).RGBA()
			colors[c0>>8<<16|c1>>8<<8|c2>>8] = true
		}
	}
	if len(colors) < 8 {
		t.Errorf("only %d colours: blank image?", len(colors))
	}
}

func TestAstroErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x")
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"astro", "night", "--site", "Nowhere Observatory 42", "--date", "2026-11-20"}, exitNotFound},
		{[]string{"astro", "night", "--date", "2026-11-20"}, exitUsage},
		{[]string{"astro", "night", "--site", "Paranal", "--date", "2026-13-45"}, exitUsage},
		{[]string{"astro", "night", "--site", "10,95", "--date", "2026-11-20"}, exitUsage},
		{[]string{"astro", "chart", "--site", "Paranal", "--out", out + ".svg"}, exitUsage},
		{[]string{"astro", "chart", "--site", "Paranal", "--target", "Mars", "--out", out + ".gif"}, exitUsage},
		{[]string{"astro", "chart", "--site", "Paranal", "--target", "No Such Star 999", "--out", out + ".svg"}, exitNotFound},
		{[]string{"astro", "chart", "--site", "Paranal", "--target", "X=400,0", "--out", out + ".svg"}, exitUsage},
		{[]string{"astro", "time", "yesterday"}, exitUsage},
		{[]string{"astro", "sep", "1,2"}, exitUsage},
		{[]string{"astro", "sep", "Moon", "1,2"}, exitUsage},
		{[]string{"astro", "position", "Pluto"}, exitNotFound},
		{[]string{"astro", "riseset", "Sun", "--site", "Paranal", "--date", "tomorrow"}, exitUsage},
	}
	for _, c := range cases {
		_, _, code := runCLI(t, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d", c.args, code, c.code)
		}
	}
}

func FuzzAstroParseWhen(f *testing.F) {
	for _, s := range []string{"2026-11-20", "2026-11-20T03:00", "JD2461000.5", "MJD61000", "MJDx", "2026-02-30T00:00:00", "JD1e300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.EqualFold(strings.TrimSpace(s), "now") || strings.TrimSpace(s) == "" {
			return
		}
		tm, err := astroParseWhen(s)
		if err == nil && (tm.IsZero() || math.IsNaN(tm.JDValue())) {
			t.Errorf("%q: invalid time without error", s)
		}
	})
}

func FuzzAstroResolveTarget(f *testing.F) {
	for _, s := range []string{"M31=00:42:44,+41:16:09", "10,20", "Moon", "T Phe A", "=1,2", "X=1", "X=400,0", "a,b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := astroResolveTarget(s)
		if err != nil {
			return
		}
		if tg.Body == 0 && (math.IsNaN(tg.RA.Deg()) || math.IsNaN(tg.Dec.Deg()) || math.Abs(tg.Dec.Deg()) > 90) {
			t.Errorf("%q: bad place %+v", s, tg)
		}
	})
}

// Sampling one star over the tour's night (13 h every 3 min, 261 samples):
// the full chain (two Astrometry contexts per instant, what the chart did
// first) against astro.AltitudeCurve (what it uses now: the place
// interpolated, the Earth's rotation exact per sample).
func BenchmarkChartSamplesFullChain(b *testing.B) {
	site, _ := astroResolveSite("Paranal")
	tg, _ := astroResolveTarget("NGC 253=00:47:33,-25:17:18")
	t0, _ := astro.NewUTC(2026, 11, 20, 22, 0, 0)
	for b.Loop() {
		for i := 0; i <= 260; i++ {
			o, err := newAstroObserver(t0.Add(time.Duration(i)*3*time.Minute), site.Site)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := o.observed(tg); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkChartSamplesAltitudeCurve(b *testing.B) {
	site, _ := astroResolveSite("Paranal")
	tg, _ := astroResolveTarget("NGC 253=00:47:33,-25:17:18")
	t0, _ := astro.NewUTC(2026, 11, 20, 22, 0, 0)
	for b.Loop() {
		pts, err := astro.AltitudeCurve(tg.sdk(), site.Site, t0, t0.Add(260*3*time.Minute), 3*time.Minute)
		if err != nil || len(pts) != 261 {
			b.Fatal(len(pts), err)
		}
	}
}
