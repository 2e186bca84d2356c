package arcsecond

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

func astroGet(t *testing.T, h http.HandlerFunc, url string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest("GET", url, nil))
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s: %v: %s", url, err, rec.Body)
	}
	return rec.Code, m
}

func TestAstroEndpointsRejectBadInput(t *testing.T) {
	for _, c := range []struct {
		h     http.HandlerFunc
		url   string
		field string
	}{
		{lookupHandler(nil, time.Second), "/api/astro/lookup", "name"},
		{astroSky, "/api/astro/sky?time=yesterday", "time"},
		{astroAltitude, "/api/astro/altitude?ra=400&dec=0", "ra"},
		{astroAltitude, "/api/astro/altitude?ra=10&dec=NaN", "dec"},
		{astroAltitude, "/api/astro/altitude?ra=10&dec=-20&site=nowhere-at-all-xyz", "site"},
		{astroAltitude, "/api/astro/altitude?ra=10&dec=-20&date=2026-13-01", "date"},
		{astroAltitude, "/api/astro/altitude?ra=10&dec=-20&date=9999-01-01", "date"},
		{astroSky, "/api/astro/sky?time=9999-01-01T00:00:00Z", "time"},
	} {
		code, m := astroGet(t, c.h, c.url)
		if code != 400 || m["field"] != c.field {
			t.Errorf("%s: %d %v, want 400 naming %s", c.url, code, m, c.field)
		}
	}
}

func TestAstroLookupFindsStarAndSite(t *testing.T) {
	_, m := astroGet(t, lookupHandler(nil, time.Second), "/api/astro/lookup?name=Paranal")
	ts := m["targets"].([]any)
	if len(ts) == 0 || ts[len(ts)-1].(map[string]any)["kind"] != "site" {
		t.Errorf("Paranal: %v", m)
	}
}

func TestAstroAltitudeNight(t *testing.T) {
	// Sirius-like target from Paranal on a December night: it culminates
	// high (dec -16.7 at latitude -24.6: 82°), the Sun is below -18° at
	// some point, and the twilights are ordered.
	code, m := astroGet(t, astroAltitude, "/api/astro/altitude?ra=101.287&dec=-16.716&site=Paranal&date=2026-12-07")
	if code != 200 {
		t.Fatalf("%d %v", code, m)
	}
	pts := m["points"].([]any)
	if len(pts) < 140 {
		t.Fatalf("%d points", len(pts))
	}
	maxAlt, minSun := -90.0, 90.0
	for _, p := range pts {
		p := p.(map[string]any)
		maxAlt = max(maxAlt, p["alt"].(float64))
		minSun = min(minSun, p["sun"].(float64))
	}
	if maxAlt < 80 || maxAlt > 84 {
		t.Errorf("max altitude %.2f, want about 82", maxAlt)
	}
	if minSun > -18 {
		t.Errorf("Sun never below -18: %.1f", minSun)
	}
	tw := m["twilights"].(map[string]any)
	var prev time.Time
	for _, k := range []string{"sunset", "civil_dusk", "nautical_dusk", "astro_dusk", "astro_dawn", "nautical_dawn", "civil_dawn", "sunrise"} {
		s, _ := tw[k].(string)
		tt, err := time.Parse(time.RFC3339, s)
		if err != nil || !tt.After(prev) {
			t.Errorf("%s = %q not after %v", k, s, prev)
		}
		prev = tt
	}
}

func TestAstroSkySunInDecember(t *testing.T) {
	code, m := astroGet(t, astroSky, "/api/astro/sky?time=2026-12-21T12:00:00Z")
	if code != 200 {
		t.Fatalf("%d %v", code, m)
	}
	sun := m["sun"].(map[string]any)
	if d := sun["dec"].(float64); d > -23.3 || d < -23.5 {
		t.Errorf("Sun's declination at the December solstice %.3f, want -23.44", d)
	}
	if n := len(m["galactic_plane"].([]any)); n != 181 {
		t.Errorf("%d galactic-plane points", n)
	}
}

// FuzzAstroQueries feeds arbitrary query values to the astronomy
// endpoints: each answers 200 or 400 with a JSON body, never panics.
func FuzzAstroQueries(f *testing.F) {
	f.Add("101.287", "-16.716", "Paranal", "2026-12-07", "Vega", "2026-12-21T12:00:00Z")
	f.Add("400", "NaN", "nowhere", "2026-13-01", "", "yesterday")
	f.Add("0", "90", "309", "", "HD 49798", "")
	f.Add("359.99", "-90", "Paranal", "9999-12-31", "x", "0999-12-31T23:59:59Z")
	f.Fuzz(func(t *testing.T, ra, dec, site, date, name, at string) {
		q := url.Values{"ra": {ra}, "dec": {dec}, "site": {site}, "date": {date}}
		for _, c := range []struct {
			h   http.HandlerFunc
			url string
		}{
			{astroAltitude, "/api/astro/altitude?" + q.Encode()},
			{lookupHandler(nil, time.Second), "/api/astro/lookup?" + url.Values{"name": {name}}.Encode()},
			{astroSky, "/api/astro/sky?" + url.Values{"time": {at}}.Encode()},
		} {
			rec := httptest.NewRecorder()
			c.h(rec, httptest.NewRequest("GET", c.url, nil))
			if rec.Code != 200 && rec.Code != 400 {
				t.Fatalf("%s: %d %s", c.url, rec.Code, rec.Body)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s: not JSON: %s", c.url, rec.Body)
			}
		}
	})
}
