package catalogs

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

// specFor returns the project's (corrected) spec of one table of an
// embedded catalogue.
func specFor(t *testing.T, key, file string) (CatalogueSpec, TableSpec) {
	t.Helper()
	specs, err := Catalogues()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range specs {
		if c.Key != key {
			continue
		}
		for _, tb := range c.Tables {
			if tb.File == file {
				return c, tb
			}
		}
	}
	t.Fatalf("no spec for %s/%s", key, file)
	return CatalogueSpec{}, TableSpec{}
}

func parseFile(t *testing.T, path string, c CatalogueSpec, tb TableSpec) ([]Star, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ParseTable(f, c, tb)
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestUpstreamSpecFaultsAreCaught parses the first rows of each faulty
// table with the upstream metadata.json offsets (copied here) and checks
// that the parser refuses them instead of returning wrong numbers.
func TestUpstreamSpecFaultsAreCaught(t *testing.T) {
	cases := []struct {
		file, key string
		cols      map[string][2]int
		equinox   string
	}{
		{"testdata/Casali_1992_head.txt", "Casali_1992", map[string][2]int{"name": {0, 6}, "ra_hour": {17, 19}, "ra_min": {20, 22}, "ra_sec": {23, 27},
			"dec_deg": {29, 31}, "dec_min": {32, 34}, "dec_sec": {35, 37}}, "B1950"},
		{"testdata/Massey_etal_1998_head.txt", "Massey_etal_1998", map[string][2]int{"name": {3, 15}, "ra_hour": {16, 18}, "ra_min": {19, 21}, "ra_sec": {23, 26},
			"dec_deg": {27, 30}, "dec_min": {31, 33}, "dec_sec": {34, 36}}, "B1950"},
		{"testdata/Gehrels_1974_catalogue1_head.txt", "Gehrels_1974", map[string][2]int{"name": {0, 10}, "spectype": {17, 21}, "ra_hour": {22, 24}, "ra_min": {25, 27}, "ra_sec": {28, 32},
			"dec_deg": {34, 37}, "dec_min": {38, 40}, "dec_sec": {41, 43}}, "B1950"},
		{"testdata/Perryman_etal_1997_A_head.txt", "Perryman_etal_1997", map[string][2]int{"name": {2, 8}, "ra_hour": {19, 21}, "ra_min": {22, 24}, "ra_sec": {25, 30},
			"dec_deg": {31, 34}, "dec_min": {35, 37}, "dec_sec": {38, 42}, "mag_V": {43, 48}, "mab_AB": {52, 57}}, "J2000"},
		{"testdata/Hunt_etal_1998_rows.txt", "Hunt_etal_1998", map[string][2]int{"name": {0, 8}, "ra_hour": {19, 21}, "ra_min": {22, 24}, "ra_sec": {25, 29},
			"dec_deg": {31, 33}, "dec_min": {34, 36}, "dec_sec": {37, 39}}, "J2000"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			_, err := parseFile(t, c.file, CatalogueSpec{Key: c.key, Equinox: c.equinox}, TableSpec{File: c.file, Columns: c.cols})
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), "cut a value") {
				t.Fatalf("upstream spec: got err %v, want a 'cut a value' ParseError", err)
			}
		})
	}
}

func TestCorrectedSpecs(t *testing.T) {
	t.Run("Casali dec_deg", func(t *testing.T) {
		c, tb := specFor(t, "Casali_1992", "catalogue.txt")
		stars, err := parseFile(t, "testdata/Casali_1992_head.txt", c, tb)
		if err != nil {
			t.Fatal(err)
		}
		s := stars[0] // FS 1  G158-100   00 31 22.7  -12 24 29
		if s.Name != "FS 1" || s.Aliases[0] != "G158-100" {
			t.Errorf("names %q %q", s.Name, s.Aliases)
		}
		if want := -(12 + 24.0/60 + 29.0/3600); !near(s.DecPublished, want, 1e-9) {
			t.Errorf("dec %v, want %v", s.DecPublished, want)
		}
		if want := (0 + 31.0/60 + 22.7/3600) * 15; !near(s.RAPublished, want, 1e-9) {
			t.Errorf("ra %v, want %v", s.RAPublished, want)
		}
		if m, ok := s.Mag("K"); !ok || m.Value != 12.967 || m.Error != 0.021 {
			t.Errorf("K %+v", m)
		}
		if c, _ := findColor(s, "H-K"); c.Value != 0.081 {
			t.Errorf("H-K %+v", c)
		}
		if c, _ := findColor(stars[2], "H-K"); c.Value != -0.097 { // FS 3: sign kept
			t.Errorf("FS 3 H-K %+v", c)
		}
	})
	t.Run("Massey ra_sec", func(t *testing.T) {
		c, tb := specFor(t, "Massey_etal_1998", "catalogue.txt")
		stars, err := parseFile(t, "testdata/Massey_etal_1998_head.txt", c, tb)
		if err != nil {
			t.Fatal(err)
		}
		// 1  PG 0205+134  02:05:21.3 +13:22:18
		if want := (2 + 5.0/60 + 21.3/3600) * 15; stars[0].Name != "PG 0205+134" || !near(stars[0].RAPublished, want, 1e-9) {
			t.Errorf("%s ra %v, want %v", stars[0].Name, stars[0].RAPublished, want)
		}
	})
	t.Run("Perryman parallax is not a magnitude", func(t *testing.T) {
		c, tb := specFor(t, "Perryman_etal_1997", "A.txt")
		stars, err := parseFile(t, "testdata/Perryman_etal_1997_A_head.txt", c, tb)
		if err != nil {
			t.Fatal(err)
		}
		s := stars[0] // M     77 N/A       00:00:55.34 -30:03:50.9  8.41    3.53
		for _, m := range s.Magnitudes {
			if m.System == "AB" {
				t.Errorf("AB magnitude %+v: the column is the parallax", m)
			}
		}
		if s.Extra["parallax_mas"] != "3.53" {
			t.Errorf("parallax %q", s.Extra["parallax_mas"])
		}
		if m, _ := s.Mag("V"); m.Value != 8.41 {
			t.Errorf("V %+v", m)
		}
	})
	t.Run("Gehrels spectral type", func(t *testing.T) {
		c, tb := specFor(t, "Gehrels_1974", "catalogue1.txt")
		stars, err := parseFile(t, "testdata/Gehrels_1974_catalogue1_head.txt", c, tb)
		if err != nil {
			t.Fatal(err)
		}
		if stars[0].SpectralType != "F2 IV" || stars[1].SpectralType != "G8 V" {
			t.Errorf("spectral types %q %q", stars[0].SpectralType, stars[1].SpectralType)
		}
		if !near(stars[1].DecPublished, -(24 + 25.0/60 + 55.0/3600), 1e-9) {
			t.Errorf("HD 9540 dec %v", stars[1].DecPublished)
		}
	})
	t.Run("Hunt negative zero degrees", func(t *testing.T) {
		c, tb := specFor(t, "Hunt_etal_1998", "catalogue.txt")
		stars, err := parseFile(t, "testdata/Hunt_etal_1998_rows.txt", c, tb)
		if err != nil {
			t.Fatal(err)
		}
		// AS 10-0  FS11      04 52 58.9 -00 14 41
		if want := -(14.0/60 + 41.0/3600); !near(stars[0].DecPublished, want, 1e-9) {
			t.Errorf("dec %v, want %v", stars[0].DecPublished, want)
		}
	})
}

func findColor(s Star, bands string) (Color, bool) {
	for _, c := range s.Colors {
		if c.Bands == bands {
			return c, true
		}
	}
	return Color{}, false
}

func TestParseTableErrors(t *testing.T) {
	cat := CatalogueSpec{Key: "x", Equinox: "J2000"}
	tb := TableSpec{File: "x.txt", Columns: map[string][2]int{"name": {0, 4}, "ra_hour": {5, 7}, "ra_min": {8, 10}, "ra_sec": {11, 13},
		"dec_deg": {14, 17}, "dec_min": {18, 20}, "dec_sec": {21, 23}, "mag_V": {24, 29}}}
	good := "abcd 01 02 03 -04 05 06 12.50"
	stars, err := ParseTable(strings.NewReader("# header\n\n"+good+"\n"), cat, tb)
	if err != nil || len(stars) != 1 {
		t.Fatalf("good row: %v %v", stars, err)
	}
	for _, bad := range []string{
		"abcd 25 02 03 -04 05 06 12.50", // RA hour out of range
		"abcd 01 62 03 -04 05 06 12.50", // minutes
		"abcd 01 02 03 -94 05 06 12.50", // dec
		"abcd 01 02 03 -04 05 06 1x.50", // magnitude
		"     01 02 03 -04 05 06 12.50", // no name
		"abcd 01 02 03 --4 05 06 12.50", // two signs
	} {
		_, err := ParseTable(strings.NewReader(bad), cat, tb)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 1 {
			t.Errorf("%q: got %v, want a ParseError on line 1", bad, err)
		}
	}
	if _, err := ParseTable(strings.NewReader(good), CatalogueSpec{Equinox: "B1900"}, tb); err == nil {
		t.Error("unknown equinox accepted")
	}
	if _, err := ParseTable(strings.NewReader(good), cat, TableSpec{File: "y"}); err == nil {
		t.Error("empty spec accepted")
	}
}

func FuzzParseTable(f *testing.F) {
	for _, p := range []string{"testdata/Casali_1992_head.txt", "testdata/Massey_etal_1998_head.txt", "testdata/Hunt_etal_1998_rows.txt"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("FS 1  G158-100   00 31 22.7  -12 24 29  12.967 ± 0.021\xff\xfe")
	cat := CatalogueSpec{Key: "fuzz", Equinox: "B1950"}
	fixed := TableSpec{File: "fuzz", Columns: map[string][2]int{"name": {0, 6}, "ra_hour": {17, 19}, "ra_min": {20, 22}, "ra_sec": {23, 27},
		"dec_deg": {29, 32}, "dec_min": {33, 35}, "dec_sec": {36, 38}, "mag_K": {40, 46}, "mag_K_err": {49, 54}, "spectype": {60, 70}}}
	ws := TableSpec{File: "fuzz", Fields: []string{"name", "ra_hour", "ra_min", "ra_sec", "dec_deg", "dec_min", "dec_sec", "mag_V"}}
	re := TableSpec{File: "fuzz", Pattern: `^(?P<name>\S+)\s+(?P<ra_hour>\d+):(?P<ra_min>\d+):(?P<ra_sec>[\d.]+)\s+(?P<dec_deg>[-+]?\d+):(?P<dec_min>\d+):(?P<dec_sec>[\d.]+)\s*(?P<color_B_V>\S*)`}
	f.Fuzz(func(t *testing.T, in string) {
		for _, tb := range []TableSpec{fixed, ws, re} {
			stars, err := ParseTable(strings.NewReader(in), cat, tb)
			if err != nil {
				continue
			}
			for i := range stars {
				if err := stars[i].Validate(); err != nil {
					t.Fatalf("parsed an invalid star: %v", err)
				}
			}
		}
	})
}
