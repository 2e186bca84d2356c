package catalogs

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUserStarsCSV(t *testing.T) {
	in := "name,ra,dec,equinox,mag_V,mag_V_err,mab_g,aliases\n" +
		"Star A,10.5,-20.25,,12.3,0.01,,a1|A one\n" +
		"Star B,01:02:03.5,-00:30:00,J2000,11,,12.5,\n" +
		"FS 1 B1950,00 31 22.7,-12 24 29,B1950,,,,\n"
	stars, err := ReadStarsCSV(strings.NewReader(in), "mine")
	if err != nil {
		t.Fatal(err)
	}
	if len(stars) != 3 || stars[0].Catalogue != "mine" || stars[0].Aliases[1] != "A one" {
		t.Fatalf("%+v", stars)
	}
	if m, _ := stars[0].Mag("V"); m.Value != 12.3 || m.Error != 0.01 || m.System != "Vega" {
		t.Errorf("V %+v", m)
	}
	if m, _ := stars[1].Mag("g"); m.System != "AB" {
		t.Errorf("g %+v", m)
	}
	if !near(stars[1].RA, (1+2.0/60+3.5/3600)*15, 1e-9) || !near(stars[1].Dec, -0.5, 1e-12) {
		t.Errorf("B at %v %v", stars[1].RA, stars[1].Dec)
	}
	if d := Separation(stars[2].RA, stars[2].Dec, 8.47666262504645, -12.132440750897887) * 3600; d > 0.1 {
		t.Errorf("B1950 row converted %.3f\" from astropy", d)
	}
	c, err := NewStarCatalog(stars)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Lookup("a one"); len(got) != 1 || got[0].Name != "Star A" {
		t.Errorf("lookup %v", got)
	}
	// JSON round trip.
	var buf bytes.Buffer
	if err := WriteStarsJSON(&buf, stars); err != nil {
		t.Fatal(err)
	}
	back, err := ReadStarsJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range stars {
		if !near(back[i].RA, stars[i].RA, 1e-12) || !near(back[i].Dec, stars[i].Dec, 1e-12) || back[i].Name != stars[i].Name {
			t.Errorf("round trip %d: %+v vs %+v", i, back[i], stars[i])
		}
	}
	for _, bad := range []string{
		"name,ra\nx,1\n",
		"name,ra,dec\nx,1,95\n",
		"name,ra,dec\nx,25:00:00,5\n",
		"name,ra,dec,mag_V\nx,1,5,bright\n",
		"name,ra,dec,equinox\nx,1,5,B1900\n",
		"name,ra,dec\n,1,5\n",
		"name,ra,dec\nx,NaN,5\n",
	} {
		if _, err := ReadStarsCSV(strings.NewReader(bad), "x"); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	for _, bad := range []string{`[{"name":"x"}]`, `[{"name":"x","ra":1,"dec":100}]`, `[{"name":"x","ra":1,"dec":2,"equinox":"B1950"}]`, `{`} {
		if _, err := ReadStarsJSON(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "my.csv")
	if err := os.WriteFile(p, []byte("name,ra,dec\nS,1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stars, err := LoadStarsFile(context.Background(), p)
	if err != nil || len(stars) != 1 || stars[0].Catalogue != "my" {
		t.Errorf("%+v %v", stars, err)
	}
	if _, err := LoadStarsFile(context.Background(), filepath.Join(dir, "x.txt")); err == nil {
		t.Error("unknown extension accepted")
	}
	sp := filepath.Join(dir, "sites.csv")
	if err := os.WriteFile(sp, []byte("name,longitude,latitude\nS,1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := LoadSitesFile(context.Background(), sp); err != nil || len(s) != 1 {
		t.Errorf("%v %v", s, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadSitesFile(ctx, sp); err == nil {
		t.Error("cancelled context ignored")
	}
}

func FuzzReadStarsCSV(f *testing.F) {
	f.Add("name,ra,dec,equinox,mag_V,mag_V_err,mab_g,aliases\nStar A,10.5,-20.25,,12.3,0.01,,a1|A one\n")
	f.Add("name,ra,dec\nx,23:59:59.99,-89:59:59\n")
	f.Add("name,ra,dec,equinox\nx,00 31 22.7,-12 24 29,B1950\n")
	f.Fuzz(func(t *testing.T, in string) {
		stars, err := ReadStarsCSV(strings.NewReader(in), "fuzz")
		if err != nil {
			return
		}
		for i := range stars {
			if err := stars[i].Validate(); err != nil {
				t.Fatalf("returned an invalid star: %v", err)
			}
		}
		if _, err := NewStarCatalog(stars); err != nil {
			t.Fatalf("valid stars not indexable: %v", err)
		}
	})
}

func FuzzReadStarsJSON(f *testing.F) {
	f.Add(`[{"name":"x","ra":1,"dec":2,"magnitudes":[{"band":"V","value":1,"system":"Vega"}]}]`)
	f.Add(`[{"name":"x","ra_published":359.9,"dec_published":89.9,"equinox":"B1950"}]`)
	f.Fuzz(func(t *testing.T, in string) {
		stars, err := ReadStarsJSON(strings.NewReader(in))
		if err != nil {
			return
		}
		for i := range stars {
			if err := stars[i].Validate(); err != nil {
				t.Fatalf("returned an invalid star: %v", err)
			}
		}
	})
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{"M 31", "Messier 31", "xi² Cet", "Cerro Pachón", "BD+28° 4211", "\xff\xfe", "Henry Draper 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := NormalizeName(s)
		if NormalizeName(k) != k {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, k, NormalizeName(k))
		}
		for _, r := range k {
			if r == ' ' || r == '-' || r == '_' {
				t.Fatalf("separator kept in %q", k)
			}
		}
	})
}

func TestStarsTSVRoundTrip(t *testing.T) {
	c := mustStandards(t)
	src := c.All()[:2000]
	var buf bytes.Buffer
	if err := WriteStarsTSV(&buf, src); err != nil {
		t.Fatal(err)
	}
	back, err := ReadStarsTSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(src) {
		t.Fatalf("%d stars back, want %d", len(back), len(src))
	}
	for i := range src {
		a, b := src[i], back[i]
		if a.Name != b.Name || a.RA != b.RA || a.Dec != b.Dec || len(a.Magnitudes) != len(b.Magnitudes) || len(a.Extra) != len(b.Extra) {
			t.Fatalf("star %d: %+v != %+v", i, a, b)
		}
	}
	bad := Star{Name: "a\tb", RA: 1, Dec: 1}
	if err := WriteStarsTSV(&buf, []Star{bad}); err == nil {
		t.Error("tab in a name accepted")
	}
	for _, line := range []string{"x\t\tc\tJ2000\t1\t2", "x\t\tc\tJ2000\t1\t95\t\t\t\t\t", "x\t\tc\tJ2000\t1\t2\t\tV,1\t\t", "x\t\tc\tB1900\t1\t2\t\t\t\t"} {
		if _, err := ReadStarsTSV(strings.NewReader(line)); err == nil {
			t.Errorf("accepted %q", line)
		}
	}
}

func FuzzReadStarsTSV(f *testing.F) {
	f.Add("FS 1\tG158-100\tCasali_1992\tB1950\t7.844583333\t-12.408055556\t\tK,12.967,0.021,UKIRT\tH-K,0.081,0.012\tparallax_mas=3.5\n")
	f.Add("x\t\tc\tJ2000\t359.9999\t-90\t\t\t\t\n")
	f.Fuzz(func(t *testing.T, in string) {
		stars, err := ReadStarsTSV(strings.NewReader(in))
		if err != nil {
			return
		}
		for i := range stars {
			if err := stars[i].Validate(); err != nil {
				t.Fatalf("returned an invalid star: %v", err)
			}
		}
	})
}

func TestParseRADec(t *testing.T) {
	for in, want := range map[string]float64{"7.5396": 7.5396, "00:30:09.5": (30.0/60 + 9.5/3600) * 15, "23 59 59.9": (23 + 59.0/60 + 59.9/3600) * 15, "-10": 350} {
		if got, err := ParseRA(in); err != nil || !near(got, want, 1e-9) {
			t.Errorf("ParseRA(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]float64{"-46.5247": -46.5247, "-46:31:29": -(46 + 31.0/60 + 29.0/3600), "-00 30 00": -0.5, "+89:59:59": 89 + 59.0/60 + 59.0/3600} {
		if got, err := ParseDec(in); err != nil || !near(got, want, 1e-9) {
			t.Errorf("ParseDec(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "24:00:01", "12:60:00", "1:2:3:4"} {
		if _, err := ParseRA(bad); err == nil {
			t.Errorf("ParseRA(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"91", "-90:00:01", "x"} {
		if _, err := ParseDec(bad); err == nil {
			t.Errorf("ParseDec(%q) accepted", bad)
		}
	}
}
