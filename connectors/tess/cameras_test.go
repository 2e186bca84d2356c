package tess

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// The expectation of the camera tests is computed by a second method,
// tess-point's (tessgi/tess-point@06abdaf3da58d08a6462c7ee70540d52c4040d98:tess_stars2px.py,
// TESS_Spacecraft_Pointing_Data): the star's unit vector is rotated into
// the spacecraft frame by the Euler 3-2-3 matrix of (RA, 90° - Dec,
// roll + 180°) (sky_to_sc_mat), then into camera i's frame by the 3-2-3
// matrix of (0, offset_i, 0) (sc_to_cam_mat with the fitted angles
// rounded: ang2 -36.02, -12.02, 12.01, 35.98), and is in the camera when
// z > 0 and |atan(x/z)|, |atan(y/z)| <= 12° (star_in_fov's test, with the
// documented 24° field rather than its 12.5° margin). No vector algebra
// of cameras.go is used.
const tessPoint = "tessgi/tess-point@06abdaf3da58d08a6462c7ee70540d52c4040d98:tess_stars2px.py"

type mat3 [3][3]float64

// rot is tess-point's rotm1: the frame rotation by ang about axis ax.
func rot(ax int, ang float64) mat3 {
	var m mat3
	n2, n3 := (ax+1)%3, (ax+2)%3
	s, c := math.Sincos(ang)
	m[ax][ax] = 1
	m[n2][n2], m[n3][n3] = c, c
	m[n2][n3], m[n3][n2] = s, -s
	return m
}

func (a mat3) mul(b mat3) mat3 {
	var m mat3
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				m[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return m
}

func (a mat3) apply(v [3]float64) [3]float64 {
	var o [3]float64
	for i := range 3 {
		for k := range 3 {
			o[i] += a[i][k] * v[k]
		}
	}
	return o
}

// euler323 is tess-point's eulerm323: R3(e2) R2(e1) R3(e0).
func euler323(e0, e1, e2 float64) mat3 { return rot(2, e2).mul(rot(1, e1).mul(rot(2, e0))) }

// expectCameras returns the cameras (1-4) holding (ra, dec) by the second
// method, and whether the star is within margin degrees of an edge (then
// the two methods may honestly differ by rounding and it is not checked).
func expectCameras(ra, dec, roll, sra, sdec, margin float64) (cams []int, edge bool) {
	const d = math.Pi / 180
	sc := euler323(ra*d, math.Pi/2-dec*d, roll*d+math.Pi)
	v := [3]float64{math.Cos(sdec*d) * math.Cos(sra*d), math.Cos(sdec*d) * math.Sin(sra*d), math.Sin(sdec * d)}
	for i, off := range []float64{-36, -12, 12, 36} {
		w := euler323(0, off*d, 0).mul(sc).apply(v)
		if w[2] <= 0 {
			continue
		}
		x, y := math.Abs(math.Atan(w[0]/w[2])/d), math.Abs(math.Atan(w[1]/w[2])/d)
		if math.Abs(x-12) < margin || math.Abs(y-12) < margin && x < 12+margin {
			edge = true
		}
		if x <= 12 && y <= 12 {
			cams = append(cams, i+1)
		}
	}
	return cams, edge
}

// Named stars and points (J2000 positions, degrees).
var stars = []struct {
	name    string
	ra, dec float64
}{
	{"north ecliptic pole", 270, 66.560708},
	{"south ecliptic pole", 90, -66.560708},
	{"north celestial pole", 0, 90},
	{"Polaris", 37.954561, 89.264109},
	{"Vega", 279.234735, 38.783689},
	{"Capella", 79.172328, 45.997991},
	{"Deneb", 310.357980, 45.280339},
	{"alpha Cas", 10.126838, 56.537331},
	{"M31", 10.684708, 41.268750},
	{"Kochab", 222.676357, 74.155504},
	{"Dubhe", 165.931965, 61.751035},
	{"Mirfak", 51.080709, 49.861179},
	{"Canopus", 95.987958, -52.695661},
	{"Sirius", 101.287155, -16.716116},
	{"LMC", 80.893860, -69.756126},
	{"Achernar", 24.428523, -57.236753},
	{"Adhara", 104.656453, -28.972086},
	{"Naos", 120.896031, -40.003148},
	{"Betelgeuse", 88.792939, 7.407064},
	{"RA 359.9 Dec 45", 359.9, 45},
	{"RA 0.1 Dec 45", 0.1, 45},
}

func sectorPlan(t *testing.T) *activitiesByID {
	t.Helper()
	ps, _, err := ParsePointings(archivetest.Read(t, pointingsFile))
	if err != nil {
		t.Fatal(err)
	}
	orbits, err := ParseOrbits(archivetest.Read(t, orbitsFile))
	if err != nil {
		t.Fatal(err)
	}
	res := Plan(ps, orbits)
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings %v", res.Warnings)
	}
	return &activitiesByID{acts: res.Activities, ps: ps}
}

type activitiesByID struct {
	acts []activities.Activity
	ps   []Pointing
}

// TestCameraFields: every star of the table falls in the cameras the
// second method predicts, for each of the four recorded sectors, through
// the activity's own footprints and Activity.Contains.
func TestCameraFields(t *testing.T) {
	plan := sectorPlan(t)
	perCamera := map[int]int{}
	checked, edges := 0, 0
	for _, p := range plan.ps {
		i := slices.IndexFunc(plan.acts, func(a activities.Activity) bool { return a.Programme.ID == fmt.Sprintf("sector %d", p.Sector) })
		a := plan.acts[i]
		if len(a.Footprints) != 4 {
			t.Fatalf("sector %d: %d footprints", p.Sector, len(a.Footprints))
		}
		for c, f := range a.Footprints {
			if f.Name != fmt.Sprintf("camera %d", c+1) {
				t.Errorf("sector %d footprint %d named %q", p.Sector, c, f.Name)
			}
			if _, err := f.Loop(); err != nil {
				t.Errorf("sector %d %s: %v", p.Sector, f.Name, err)
			}
		}
		for _, s := range stars {
			want, edge := expectCameras(p.RA, p.Dec, p.Roll, s.ra, s.dec, 0.05)
			if edge {
				edges++
				continue
			}
			checked++
			var got []int
			for c, f := range a.Footprints {
				one := activities.Activity{Footprints: []activities.Footprint{f}}
				if one.Contains(activities.SkyPoint{RA: s.ra, Dec: s.dec}) {
					got = append(got, c+1)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("sector %d, %s: cameras %v, want %v (%s)", p.Sector, s.name, got, want, tessPoint)
			}
			if a.Contains(activities.SkyPoint{RA: s.ra, Dec: s.dec}) != (len(want) > 0) {
				t.Errorf("sector %d, %s: Activity.Contains disagrees with cameras %v", p.Sector, s.name, want)
			}
			for _, c := range want {
				perCamera[c]++
			}
		}
	}
	// The table must exercise every camera, and not only empty answers.
	for c := 1; c <= 4; c++ {
		if perCamera[c] == 0 {
			t.Errorf("no star of the table falls in camera %d: the test checks too little", c)
		}
	}
	t.Logf("%d star×sector checks, %d near an edge skipped, per camera %v", checked, edges, perCamera)
}

// TestCameraDocumented: facts stated by the TESS GI, independent of both
// methods: in a northern sector camera 4 is centred near the north
// ecliptic pole, in a southern one near the south ecliptic pole
// (tessgi/TessGiWebsite content/news/tess-year2-pointing-update.md: "the
// camera array will be oriented such that Camera 4 is centered on the
// northern ecliptic pole"); sectors 85-86 are northern and 87-88 southern.
func TestCameraDocumented(t *testing.T) {
	plan := sectorPlan(t)
	for _, c := range []struct {
		sector  int
		ra, dec float64
	}{{85, 270, 66.560708}, {86, 270, 66.560708}, {87, 90, -66.560708}, {88, 90, -66.560708}} {
		i := slices.IndexFunc(plan.acts, func(a activities.Activity) bool { return a.Programme.ID == fmt.Sprintf("sector %d", c.sector) })
		f := plan.acts[i].Footprints[3]
		one := activities.Activity{Footprints: []activities.Footprint{f}}
		if !one.Contains(activities.SkyPoint{RA: c.ra, Dec: c.dec}) {
			t.Errorf("sector %d: ecliptic pole not in %s %v", c.sector, f.Name, f.Polygon)
		}
	}
}

// TestCameraWrapAndPole: a field across RA 0/360 and a field over the
// celestial pole hold the points just either side of the seam and the
// pole (expectation by the second method), and the store's point filter
// (the API's inside=) selects the sector.
func TestCameraWrapAndPole(t *testing.T) {
	plan := sectorPlan(t)
	var wraps, poles int
	for _, a := range plan.acts {
		for _, f := range a.Footprints {
			minRA, maxRA := 360.0, 0.0
			for _, v := range f.Polygon {
				minRA, maxRA = min(minRA, v[0]), max(maxRA, v[0])
			}
			if maxRA-minRA > 180 {
				wraps++
			}
			one := activities.Activity{Footprints: []activities.Footprint{f}}
			if one.Contains(activities.SkyPoint{RA: 0, Dec: 90}) {
				poles++
			}
		}
	}
	if wraps == 0 || poles == 0 {
		t.Fatalf("the recorded sectors give %d fields across RA 0 and %d over the pole: the test needs both", wraps, poles)
	}
	store := activities.NewMemoryStore()
	if _, err := store.Put(context.Background(), plan.acts); err != nil {
		t.Fatal(err)
	}
	selected := 0
	for _, s := range stars {
		pt := activities.SkyPoint{RA: s.ra, Dec: s.dec}
		page, err := store.Find(context.Background(), activities.Query{Source: Name, Point: &pt, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range page.Activities {
			got = append(got, a.Programme.ID)
		}
		var want []string
		edge := false
		for _, p := range plan.ps {
			cams, e := expectCameras(p.RA, p.Dec, p.Roll, s.ra, s.dec, 0.05)
			edge = edge || e
			if len(cams) == 0 {
				continue
			}
			// Each orbit interval of the sector (or its placeholder).
			for _, a := range plan.acts {
				if a.Programme.ID == fmt.Sprintf("sector %d", p.Sector) {
					want = append(want, a.Programme.ID)
				}
			}
		}
		if edge {
			continue
		}
		selected += len(got)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: store Find(Point) gives %v, want %v", s.name, got, want)
		}
	}
	if selected == 0 {
		t.Error("the point filter selected nothing for any star")
	}
}

// TestCameraContract: the geometry constants against their sources.
func TestCameraContract(t *testing.T) {
	for i, c := range []struct {
		ang2 float64 // tess-point's hard-coded focal plane geometry, camera i+1
		cite string
	}{
		{-36.022035, tessPoint + " read_levine_fpg_file icam 0 ang2_cam1"},
		{-12.017260, tessPoint + " read_levine_fpg_file icam 1 ang2_cam1"},
		{12.007750, tessPoint + " read_levine_fpg_file icam 2 ang2_cam1"},
		{35.978116, tessPoint + " read_levine_fpg_file icam 3 ang2_cam1"},
	} {
		if math.Abs(CameraOffsets[i]-c.ang2) > 0.05 {
			t.Errorf("camera %d offset %v, source %v (%s)", i+1, CameraOffsets[i], c.ang2, c.cite)
		}
	}
	// "each with a 2000x2000 pixel CCD that provides a 24x24 degree
	// field-of-view": tessgi/TessGiWebsite content/pages/the-mission/telescope.md.
	if CameraField != 24 {
		t.Errorf("camera field %v°, documented 24°", CameraField)
	}
}
