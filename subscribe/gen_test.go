package subscribe

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe/internal/skyrand"
)

// The random draws of the tests, shared with the benchmark populations.
var (
	logUniform = skyrand.LogUniform
	offset     = skyrand.Offset
)

// hotspots concentrate the property tests where indexing is hardest: RA
// 0/360, both poles, cube-face edges.
var hotspots = [][2]float64{{0, 0}, {359.99999, 10}, {0.00001, -30}, {123, 89.9999}, {250, -89.9999}, {45, 35.26}, {180, 45}, {90, 0}}

func randPos(r *rand.Rand) (float64, float64) {
	if r.IntN(5) == 0 {
		return r.Float64() * 360, math.Asin(2*r.Float64()-1) / deg
	}
	h := hotspots[r.IntN(len(hotspots))]
	return offset(h[0], h[1], logUniform(r, 1e-5, 12), r.Float64()*2*math.Pi)
}

var (
	pSources     = []string{"eso", "hst", "gemini", "swift"}
	pFacilities  = []string{"VLT UT4", "HST", "Gemini North", "Swift"}
	pInstruments = []string{"MUSE", "WFC3/UVIS", "WFC3", "GMOS-N", "XRT"}
	pProgrammes  = []string{"0104.D-0123(A)", "0104.D-0456", "GO-12345", "GO-17001", "0110.C-9999"}
	pProgSubs    = []string{"0104.D-0123(A)", "0104.D-*", "GO-*", "go-12345", "0110.C-9999", "0104.D-0123*"}
	pPeople      = []string{"Müller, K.", "Mueller, Karl", "Muller", "Smith, John", "J. Smith", "A. Smith", "van der Berg, Anna", "Ødegaard", "Odegaard, P."}
	pSubPeople   = []string{"Müller", "Mueller", "Muller", "Smith", "John Smith", "Smith, A.", "van der Berg", "Odegaard"}
	pTargets     = []string{"NGC 1068", "NGC1068", "ngc 224", "M 31", "Sgr A*", "SN 2026abc", "Eta Carinae"}
	pTargetSubs  = []string{"NGC 1068", "ngc*", "M31", "Sgr A\\*", "*1068", "?GC 1068", "sn 2026*", "eta*"}
)

func pick(r *rand.Rand, vs []string, max int) []string {
	n := 1 + r.IntN(max)
	out := make([]string, 0, n)
	for range n {
		out = append(out, vs[r.IntN(len(vs))])
	}
	return out
}

var t0 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// randomSub draws a subscription with 1 to 3 criteria from small pools, so
// that matches are frequent.
func randomSub(r *rand.Rand, id int) *Subscription {
	s := &Subscription{ID: fmt.Sprintf("s%d", id)}
	c := &s.Criteria
	for c.IsEmpty() || r.IntN(3) == 0 {
		switch r.IntN(12) {
		case 0:
			c.Sources = pick(r, pSources, 2)
		case 1:
			for range 1 + r.IntN(2) {
				c.Kinds = append(c.Kinds, activities.Kinds()[r.IntN(4)])
			}
		case 2:
			c.Facilities = pick(r, pFacilities, 2)
		case 3:
			c.Instruments = pick(r, pInstruments, 2)
		case 4:
			c.Programmes = pick(r, pProgSubs, 2)
		case 5:
			c.Observers = pick(r, pSubPeople, 2)
		case 6:
			c.Targets = pick(r, pTargetSubs, 2)
		case 7, 8, 9:
			for range 1 + r.IntN(2) {
				ra, dec := randPos(r)
				if r.IntN(8) == 0 {
					// a small quadrilateral around (ra, dec)
					d := logUniform(r, 1.0/3600, 5)
					var poly [][2]float64
					for k := range 4 {
						pra, pdec := offset(ra, dec, d, float64(k)*math.Pi/2+0.3)
						poly = append(poly, [2]float64{pra, pdec})
					}
					if _, err := newPolygon(poly); err == nil {
						c.Regions = append(c.Regions, Region{Polygon: poly})
						continue
					}
				}
				c.Regions = append(c.Regions, Region{RA: ra, Dec: dec, Radius: logUniform(r, 1.0/3600, 10)})
			}
		case 10:
			a := t0.Add(time.Duration(r.IntN(30*24)) * time.Hour)
			b := a.Add(time.Duration(1+r.IntN(10*24)) * time.Hour)
			switch r.IntN(3) {
			case 0:
				c.After, c.Before = &a, nil
			case 1:
				c.After, c.Before = nil, &b
			default:
				c.After, c.Before = &a, &b
			}
		case 11:
			for range 1 + r.IntN(2) {
				if r.IntN(3) == 0 {
					lo := logUniform(r, 1e-15, 1)
					c.Bands = append(c.Bands, Band{MinWavelengthM: lo, MaxWavelengthM: lo * logUniform(r, 1, 100)})
					continue
				}
				ns := activities.BandNames()
				c.Bands = append(c.Bands, Band{Name: ns[r.IntN(len(ns))]})
			}
		}
	}
	return s
}

// randomActivity draws an activity from the same pools, with a field of view
// of 1″ to 2°.
func randomActivity(r *rand.Rand, i int) activities.Activity {
	src := pSources[r.IntN(len(pSources))]
	a := activities.Activity{
		ID: activities.NewID(src, fmt.Sprint(i)), Source: src, Kind: activities.Kinds()[r.IntN(4)],
		Facility:   pFacilities[r.IntN(len(pFacilities))],
		Instrument: pInstruments[r.IntN(len(pInstruments))],
		Programme:  activities.Programme{ID: pProgrammes[r.IntN(len(pProgrammes))], PI: pPeople[r.IntN(len(pPeople))]},
		Target:     activities.Target{Name: pTargets[r.IntN(len(pTargets))]},
	}
	if r.IntN(3) == 0 {
		a.Programme.Investigators = pick(r, pPeople, 2)
	}
	if r.IntN(10) != 0 {
		a.Target.SetPosition(randPos(r))
		if r.IntN(4) != 0 {
			a.Target.FOVRadius = logUniform(r, 1.0/3600, 2)
		}
	}
	if r.IntN(4) == 0 {
		// One to three footprints: rotated quadrilaterals 1″ to 5° across
		// near the target's position (or near a random position when it
		// has none), often wider than the field-of-view circle.
		ra, dec, ok := a.Target.Position()
		if !ok {
			ra, dec = randPos(r)
		}
		for k := range 1 + r.IntN(3) {
			d := logUniform(r, 1.0/3600, 5)
			cra, cdec := offset(ra, dec, logUniform(r, 1.0/3600, 3), r.Float64()*2*math.Pi)
			var poly [][2]float64
			rot := r.Float64() * 2 * math.Pi
			for v := range 4 {
				pra, pdec := offset(cra, cdec, d*(0.6+0.4*float64(v%2)), rot+float64(v)*math.Pi/2)
				poly = append(poly, [2]float64{pra, pdec})
			}
			name := ""
			if k == 1 {
				name = "CCD 2"
			}
			a.Footprints = append(a.Footprints, activities.Footprint{Name: name, Polygon: poly})
		}
	}
	if r.IntN(2) == 0 {
		// a bandpass of a factor 1 to 10 anywhere from 1e-15 m to 1 m
		lo := activities.Wavelength(logUniform(r, 1e-15, 1))
		a.Bandpass = &activities.Bandpass{Min: lo, Max: lo * activities.Wavelength(logUniform(r, 1, 10))}
	}
	if r.IntN(6) != 0 {
		a.Start = t0.Add(time.Duration(r.IntN(40*24*60)) * time.Minute)
		if r.IntN(2) == 0 {
			a.End = a.Start.Add(time.Duration(r.IntN(600)) * time.Minute)
		}
	}
	return a
}
