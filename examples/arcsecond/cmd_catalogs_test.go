package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestCatalogsStandardsJSON(t *testing.T) {
	// T Phe A, Landolt 1992: 00 30 09.5 -46 31 29 (J2000).
	out, _, code := runCLI(t, "catalogs", "standards", "--near", "7.5395833,-46.5247222", "--count", "4", "--band", "V", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d stars", len(got))
	}
	if got[0]["name"] != "T Phe A" || got[0]["catalogue"] != "Landolt_1992" {
		t.Errorf("first: %v", got[0])
	}
	prev := -1.0
	for _, s := range got {
		for _, k := range []string{"name", "ra", "dec", "catalogue", "magnitudes", "separation_deg"} {
			if _, ok := s[k]; !ok {
				t.Errorf("missing %q in %v", k, s)
			}
		}
		sep := s["separation_deg"].(float64)
		if sep < prev {
			t.Error("not nearest first")
		}
		prev = sep
		hasV := false
		for _, m := range s["magnitudes"].([]any) {
			if m.(map[string]any)["band"] == "V" {
				hasV = true
			}
		}
		if !hasV {
			t.Errorf("%v has no V magnitude", s["name"])
		}
	}
	if ra := got[0]["ra"].(float64); math.Abs(ra-7.5395833) > 1e-5 {
		t.Errorf("ra %v", ra)
	}
}

func TestCatalogsStandardsSexagesimal(t *testing.T) {
	out, _, code := runCLI(t, "catalogs", "standards", "--near", "00:30:09.5,-46:31:29", "--count", "1", "--json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || len(got) != 1 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	// The embedded positions are rounded to 1e-9 degree.
	if got[0]["name"] != "T Phe A" || got[0]["separation_deg"].(float64) > 1e-8 {
		t.Errorf("%v", got[0])
	}
}

func TestCatalogsStandardsText(t *testing.T) {
	out, _, code := runCLI(t, "catalogs", "standards", "--near", "359.99,-0.5", "--count", "2")
	if code != 0 || strings.Count(out, "\n") != 3 || !strings.HasPrefix(out, "NAME") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCatalogsSitesJSON(t *testing.T) {
	out, _, code := runCLI(t, "catalogs", "sites", "Paranal", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0]["id"] != "cerro-paranal" || got[0]["time_zone"] != "America/Santiago" {
		t.Fatalf("%v", got)
	}
	for _, k := range []string{"name", "longitude", "latitude", "height", "time_zone"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	if lon := got[0]["longitude"].(float64); lon > -70.3 || lon < -70.5 {
		t.Errorf("longitude %v (must be east-positive, Paranal is about -70.40)", lon)
	}
	out, _, code = runCLI(t, "catalogs", "sites", "--near", "-155.47,19.82", "--count", "5", "--json")
	if code != 0 || !strings.Contains(out, `"mauna-kea"`) || !strings.Contains(out, "distance_km") {
		t.Errorf("near Mauna Kea: exit %d %s", code, out)
	}
}

func TestCatalogsErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"catalogs", "standards"}, exitUsage},
		{[]string{"catalogs", "standards", "--near", "abc"}, exitUsage},
		{[]string{"catalogs", "standards", "--near", "10,95"}, exitUsage},
		{[]string{"catalogs", "standards", "--near", "10,5", "--count", "0"}, exitUsage},
		{[]string{"catalogs", "standards", "--near", "10,5", "--band", "nope"}, exitNotFound},
		{[]string{"catalogs", "sites", "no such site at all"}, exitNotFound},
		{[]string{"catalogs", "sites", "x", "--near", "1,2"}, exitUsage},
		{[]string{"catalogs", "sites", "--near", "1,100"}, exitUsage},
		{[]string{"catalogs", "instrument", "--source", "ESO", "NOPE"}, exitNotFound},
	} {
		if _, _, code := runCLI(t, c.args...); code != c.code {
			t.Errorf("%v: exit %d, want %d", c.args, code, c.code)
		}
	}
	out, _, code := runCLI(t, "catalogs", "instrument", "--source", "HST", "wfc3_uvis")
	if code != 0 || !strings.Contains(out, `"WFC3/UVIS"`) {
		t.Errorf("instrument: exit %d %s", code, out)
	}
}
