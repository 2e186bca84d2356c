package catalogs

import (
	"bufio"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // every zone must load even where no zoneinfo is installed
)

// mpcGeodetic derives geodetic latitude and height from MPC parallax
// constants (WGS84), independently of the generator.
func mpcGeodetic(cosp, sinp float64) (lat, h float64) {
	const a, f = 6378137.0, 1 / 298.257223563
	e2 := f * (2 - f)
	p, z := a*cosp, a*sinp
	phi := math.Atan2(z, p*(1-e2))
	for i := 0; i < 30; i++ {
		n := a / math.Sqrt(1-e2*math.Sin(phi)*math.Sin(phi))
		h = p/math.Cos(phi) - n
		phi = math.Atan2(z, p*(1-e2*n/(n+h)))
	}
	return phi / deg, h
}

// TestParanalAgainstMPC309 pins Paranal's coordinates against the MPC code
// 309 line (testdata/mpc_309.csv: 309,289.596,0.909943,-0.414336,...).
func TestParanalAgainstMPC309(t *testing.T) {
	lat, h := mpcGeodetic(0.909943, -0.414336)
	if math.Abs(lat-(-24.6272)) > 1e-4 || math.Abs(h-2637.14) > 1 {
		t.Fatalf("derived MPC 309: lat %v h %v; the file says -24.6272, 2637.14", lat, h)
	}
	lon := 289.596 - 360
	for _, name := range []string{"Paranal", "Cerro Paranal", "VLT", "309", "cerro-paranal", "  PARANAL ", "Cerro Paranal Observatory", "Unit Telescope 1 (Antu)"} {
		s, err := SiteByName(name)
		if err != nil {
			t.Errorf("SiteByName(%q): %v", name, err)
			continue
		}
		if s.ID != "cerro-paranal" {
			t.Errorf("SiteByName(%q) = %s", name, s.ID)
		}
	}
	s, err := SiteByCode("309")
	if err != nil {
		t.Fatal(err)
	}
	if d := DistanceKm(s.Longitude, s.Latitude, lon, lat); d > 0.5 {
		t.Errorf("Paranal is %.2f km from MPC 309", d)
	}
	if math.Abs(s.Height-h) > 50 {
		t.Errorf("Paranal height %v, MPC 309 %v", s.Height, h)
	}
	if s.TimeZone != "America/Santiago" || s.MPCCode != "309" {
		t.Errorf("tz %q code %q", s.TimeZone, s.MPCCode)
	}
	var ut1 *Telescope
	for i := range s.Telescopes {
		if strings.Contains(s.Telescopes[i].Name, "Antu") {
			ut1 = &s.Telescopes[i]
		}
	}
	if ut1 == nil || math.Abs(ut1.ApertureM-8.202) > 1e-9 {
		t.Errorf("UT1: %+v", ut1)
	}
	if s.Longitude > 0 {
		t.Error("longitude must be east-positive: Paranal is west")
	}
}

func TestSitesLookupsAndZones(t *testing.T) {
	all := Sites()
	if len(all) < 2000 {
		t.Fatalf("%d sites", len(all))
	}
	curated, mpc := 0, 0
	for i := range all {
		s := &all[i]
		if _, err := s.Location(); err != nil {
			t.Errorf("%s: %v", s.ID, err)
		}
		if err := s.Validate(); err != nil {
			t.Error(err)
		}
		if s.MPCCode != "" {
			mpc++
		}
		for _, src := range s.Sources {
			if src == "arcsecond" {
				curated++
			}
		}
	}
	tels := 0
	for i := range all {
		tels += len(all[i].Telescopes)
	}
	if curated != 98 || mpc != 1913 || tels != 178 {
		t.Errorf("%d curated sites (want 98), %d with an MPC code (want 1913), %d telescopes (want 178)", curated, mpc, tels)
	}
	for q, want := range map[string]string{"Cerro Pachon": "cerro-pachon", "cerro pachón": "cerro-pachon", "Gemini South": "cerro-pachon",
		"568": "mauna-kea", "Mauna Kea": "mauna-kea", "National Astronomy Obs. (Japan)": "mauna-kea", "la silla": "la-silla", "809": "la-silla", "Greenwich": "greenwich"} {
		s, err := SiteByName(q)
		if err != nil || s.ID != want {
			t.Errorf("SiteByName(%q) = %s, %v; want %s", q, s.ID, err, want)
		}
	}
	if _, err := SiteByName("no such observatory anywhere"); err == nil {
		t.Error("unknown site found")
	}
	near, err := NearestSites(-70.40, -24.62, 3)
	if err != nil || len(near) != 3 || near[0].ID != "cerro-paranal" || near[0].DistanceKm > 1 {
		t.Errorf("nearest to Paranal: %+v %v", near, err)
	}
	for i := 1; i < len(near); i++ {
		if near[i].DistanceKm < near[i-1].DistanceKm {
			t.Error("nearest not sorted")
		}
	}
	if _, err := NearestSites(0, 95, 1); err == nil {
		t.Error("latitude 95 accepted")
	}
	// A site's zone gives the right local time: Paranal in July is UTC-4.
	s, _ := SiteByName("Paranal")
	loc, _ := s.Location()
	if _, off := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC).In(loc).Zone(); off != -4*3600 {
		t.Errorf("Paranal offset in July %d", off)
	}
}

// TestCrossCheckReport keeps the generated report of source disagreements
// over 1 km in check: new disagreements (a changed source or matching
// rule) fail here until looked at.
func TestCrossCheckReport(t *testing.T) {
	f, err := os.Open("data/crosscheck.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	re := regexp.MustCompile(`^(\d+) (curated sites compared with their MPC code|XEphem entries tied to curated sites); (\d+) disagree by more than 1 km`)
	got := map[string][2]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[3])
			got[m[2]] = [2]int{a, b}
		}
	}
	want := map[string][2]int{
		"curated sites compared with their MPC code": {61, 3},
		"XEphem entries tied to curated sites":       {55, 17},
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %v, want %v (update the test after reviewing data/crosscheck.md)", k, got[k], w)
		}
	}
	// Each listed disagreement beyond 5 km must carry an explanation in
	// the notes or a correction.
	b, _ := os.ReadFile("data/crosscheck.md")
	for _, must := range []string{"Serra La Nave", "Gemini Telescope (south)", "mount-bigelow"} {
		if !strings.Contains(string(b), must) {
			t.Errorf("report does not mention %s", must)
		}
	}
}

func TestUserSites(t *testing.T) {
	in := "name,longitude,latitude,height,time_zone,aliases\nMy Backyard,2.35,48.85,35,Europe/Paris,backyard|home\nEast,350,10,0,,\n"
	sites, err := ReadSitesCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 2 || sites[1].Longitude != -10 || sites[0].Sources[0] != "user" {
		t.Fatalf("%+v", sites)
	}
	c, err := NewSiteCatalog(MergeSites(Sites(), sites))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := c.ByName("home"); err != nil || s.Name != "My Backyard" {
		t.Errorf("home: %v %v", s.Name, err)
	}
	if s, err := c.ByName("Paranal"); err != nil || s.ID != "cerro-paranal" {
		t.Errorf("embedded sites lost: %v", err)
	}
	for _, bad := range []string{
		"name,longitude\nx,1\n",
		"name,longitude,latitude\nx,1,95\n",
		"name,longitude,latitude\nx,abc,5\n",
		"name,longitude,latitude,time_zone\nx,1,5,Mars/Olympus\n",
		"name,longitude,latitude\n,1,5\n",
	} {
		if _, err := ReadSitesCSV(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	js := `[{"id":"obs1","name":"Obs One","longitude":10,"latitude":20,"height":100,"time_zone":"Europe/Rome"}]`
	if s, err := ReadSitesJSON(strings.NewReader(js)); err != nil || s[0].ID != "obs1" {
		t.Errorf("json: %v %v", s, err)
	}
	if _, err := ReadSitesJSON(strings.NewReader(`[{"name":"x","longitude":500,"latitude":0}]`)); err == nil {
		t.Error("longitude 500 accepted")
	}
}

func FuzzReadSitesCSV(f *testing.F) {
	f.Add("name,longitude,latitude,height,time_zone,aliases\nMy Backyard,2.35,48.85,35,Europe/Paris,backyard|home\n")
	f.Add("name,longitude,latitude\n\"a,b\",1e308,NaN\n")
	f.Fuzz(func(t *testing.T, in string) {
		sites, err := ReadSitesCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		for i := range sites {
			if err := sites[i].Validate(); err != nil {
				t.Fatalf("returned invalid site: %v", err)
			}
		}
	})
}

func TestNearestSitesEqualsSort(t *testing.T) {
	c, err := DefaultSites()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]float64{{-70.4, -24.6}, {0, 90}, {179.9, -10}, {-180, 45}, {10, 50}} {
		got, err := c.Nearest(p[0], p[1], 7)
		if err != nil {
			t.Fatal(err)
		}
		all := make([]float64, c.Len())
		for i, s := range c.All() {
			all[i] = DistanceKm(p[0], p[1], s.Longitude, s.Latitude)
		}
		slices.Sort(all)
		for k := range got {
			if math.Abs(got[k].DistanceKm-all[k]) > 1e-9 {
				t.Errorf("%v: match %d at %v km, full sort says %v", p, k, got[k].DistanceKm, all[k])
			}
		}
	}
	if got, _ := c.Nearest(0, 0, 0); len(got) != 0 {
		t.Error("n=0 returned sites")
	}
}

func BenchmarkSiteByName(b *testing.B) {
	if _, err := SiteByName("Paranal"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SiteByName("cerro paranal"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNearestSites5(b *testing.B) {
	c, err := DefaultSites()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Nearest(-70.4, -24.6, 5); err != nil {
			b.Fatal(err)
		}
	}
}
