// Package subscribetest generates seeded, reproducible populations of
// subscriptions and streams of activities for benchmarking and testing a
// [subscribe.Index]: the mixes of subscriptions users write ("MUSE within
// 5′ of my target", "anything ESO period 109", "every HST observation").
//
// The same (mix, seed) always yields the same subscriptions and
// activities, so that the benchmark in package subscribe and `arcsecond
// subscribe match --mix` measure the same population.
package subscribetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
	"github.com/arcsecond-go/arcsecond/subscribe/internal/skyrand"
)

// MixName names one of the populations of [Mixes].
type MixName string

// The populations.
const (
	// Clustered: cones clustered around popular targets (15% of the
	// targets near RA 0/360 or a pole), radius 1″–1°; 40% of the
	// subscriptions also name 1–2 facilities, 30% 1–2 instruments, 20%
	// kinds, 15% a programme prefix such as "109.*"; 8% set no region but
	// a facility, an instrument and a kind. Activities have fields of view
	// of 1″–0.5°.
	Clustered MixName = "clustered"
	// Narrow: as Clustered, with cones and fields of view of at most
	// 0.01°.
	Narrow MixName = "narrow"
	// SkyOnly: cones only, up to 2°, around the same popular targets;
	// fields of view as in Clustered.
	SkyOnly MixName = "sky"
)

// Mixes lists the populations, in the order of the benchmark's table.
var Mixes = []MixName{Clustered, Narrow, SkyOnly}

// Mix draws subscriptions and activities of one population. Subscription
// and Activity are pure functions of (name, seed, i): they may be called
// in any order and from several goroutines.
type Mix struct {
	name    MixName
	seed    uint64
	targets []skyTarget
	zipf    []float64 // cumulative popularity of targets
}

type skyTarget struct{ ra, dec float64 }

// facility is a telescope with its instruments, the pools of the mixes.
type facility struct {
	name, source string
	instruments  []string
	programme    func(r *rand.Rand) string
}

func esoProgramme(r *rand.Rand) string {
	return fmt.Sprintf("%d.%c-%04d(%c)", 105+r.IntN(10), 'A'+rune(r.IntN(6)), r.IntN(10000), 'A'+rune(r.IntN(4)))
}

func hstProgramme(r *rand.Rand) string { return fmt.Sprintf("GO-%d", 15000+r.IntN(3000)) }

func geminiProgramme(r *rand.Rand) string {
	return fmt.Sprintf("G%c-20%02d%c-Q-%d", "NS"[r.IntN(2)], 24+r.IntN(3), "AB"[r.IntN(2)], 1+r.IntN(400))
}

func swiftProgramme(r *rand.Rand) string { return fmt.Sprintf("%08d", 3000000+r.IntN(200000)) }

var facilities = []facility{
	{"VLT UT1", "eso", []string{"FORS2", "KMOS"}, esoProgramme},
	{"VLT UT2", "eso", []string{"UVES", "FLAMES"}, esoProgramme},
	{"VLT UT3", "eso", []string{"SPHERE", "X-shooter"}, esoProgramme},
	{"VLT UT4", "eso", []string{"MUSE", "HAWK-I", "ERIS"}, esoProgramme},
	{"VISTA", "eso", []string{"VIRCAM", "4MOST"}, esoProgramme},
	{"ESO 3.6m", "eso", []string{"HARPS", "NIRPS"}, esoProgramme},
	{"HST", "hst", []string{"WFC3/UVIS", "WFC3/IR", "ACS/WFC", "COS", "STIS"}, hstProgramme},
	{"Gemini North", "gemini", []string{"GMOS-N", "GNIRS", "NIRI"}, geminiProgramme},
	{"Gemini South", "gemini", []string{"GMOS-S", "F2", "IGRINS-2"}, geminiProgramme},
	{"Swift", "swift", []string{"XRT", "UVOT", "BAT"}, swiftProgramme},
}

// programmePrefixes are the prefixes subscriptions name ("109.*": anything
// of ESO period 109), weighted towards the current ESO periods.
var programmePrefixes = []string{"109.*", "110.*", "111.*", "112.*", "113.*", "114.*", "108.*", "112.A-*",
	"113.B-*", "GO-17*", "GO-16*", "GN-2025*", "GS-2026A*", "0031*"}

const nTargets = 6000

// New returns the generator of mix name with this seed.
func New(name MixName, seed uint64) (*Mix, error) {
	switch name {
	case Clustered, Narrow, SkyOnly:
	default:
		return nil, fmt.Errorf("subscribetest: unknown mix %q (want %s, %s or %s)", name, Clustered, Narrow, SkyOnly)
	}
	m := &Mix{name: name, seed: seed}
	r := rand.New(rand.NewPCG(seed, 0x7a29))
	m.targets = make([]skyTarget, nTargets)
	for i := range m.targets {
		switch x := r.IntN(100); {
		case x < 8: // near RA 0/360
			m.targets[i] = skyTarget{math.Mod(360+r.NormFloat64()*0.5, 360), math.Asin(2*r.Float64()-1) / deg}
		case x < 15: // near a pole
			dec := 90 - math.Abs(r.NormFloat64())*0.7
			if r.IntN(2) == 0 {
				dec = -dec
			}
			m.targets[i] = skyTarget{r.Float64() * 360, dec}
		default:
			m.targets[i] = skyTarget{r.Float64() * 360, math.Asin(2*r.Float64()-1) / deg}
		}
	}
	// Popularity ∝ 1/(rank+10): the hundred most popular targets draw
	// about a quarter of the subscriptions and activities.
	m.zipf = make([]float64, nTargets)
	sum := 0.0
	for i := range m.zipf {
		sum += 1 / float64(i+10)
		m.zipf[i] = sum
	}
	for i := range m.zipf {
		m.zipf[i] /= sum
	}
	return m, nil
}

// Name is the mix's name.
func (m *Mix) Name() MixName { return m.name }

const deg = math.Pi / 180

func (m *Mix) rng(kind, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(m.seed^kind*0x9e3779b97f4a7c15, i))
}

func (m *Mix) target(r *rand.Rand) skyTarget {
	x := r.Float64()
	lo, hi := 0, len(m.zipf)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if m.zipf[mid] < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return m.targets[lo]
}

var (
	logUniform = skyrand.LogUniform
	offset     = skyrand.Offset
)

// near draws a position around a popular target, uniformly in a disc of
// spread degrees.
func (m *Mix) near(r *rand.Rand, spread float64) (float64, float64) {
	t := m.target(r)
	return offset(t.ra, t.dec, spread*math.Sqrt(r.Float64()), r.Float64()*2*math.Pi)
}

func (m *Mix) maxRadius() float64 {
	switch m.name {
	case Narrow:
		return 0.01
	case SkyOnly:
		return 2
	}
	return 1
}

func pickN(r *rand.Rand, vs []string, n int) []string {
	out := make([]string, 0, n)
	for len(out) < n {
		v := vs[r.IntN(len(vs))]
		if !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

func allInstruments() []string {
	var out []string
	for _, f := range facilities {
		out = append(out, f.instruments...)
	}
	return out
}

var instrumentPool = allInstruments()

// Subscription returns the i-th subscription of the mix (ID "<mix>-<i>").
func (m *Mix) Subscription(i int) *subscribe.Subscription {
	r := m.rng(1, uint64(i))
	s := &subscribe.Subscription{ID: fmt.Sprintf("%s-%d", m.name, i)}
	c := &s.Criteria
	ra, dec := m.near(r, 0.5)
	cone := subscribe.Region{RA: ra, Dec: dec, Radius: logUniform(r, 1.0/3600, m.maxRadius())}
	if m.name == SkyOnly {
		c.Regions = []subscribe.Region{cone}
		return s
	}
	if r.IntN(100) < 8 { // attribute-only
		f := facilities[r.IntN(len(facilities))]
		c.Facilities = []string{f.name}
		c.Instruments = []string{f.instruments[r.IntN(len(f.instruments))]}
		c.Kinds = []activities.Kind{activities.Kinds()[r.IntN(len(activities.Kinds()))]}
		return s
	}
	c.Regions = []subscribe.Region{cone}
	var fs []facility
	if r.IntN(100) < 40 {
		for _, j := range r.Perm(len(facilities))[:1+r.IntN(2)] {
			fs = append(fs, facilities[j])
			c.Facilities = append(c.Facilities, facilities[j].name)
		}
	}
	if r.IntN(100) < 30 {
		pool := instrumentPool
		if len(fs) > 0 { // instruments of the facilities named
			pool = nil
			for _, f := range fs {
				pool = append(pool, f.instruments...)
			}
		}
		c.Instruments = pickN(r, pool, min(len(pool), 1+r.IntN(2)))
	}
	if r.IntN(100) < 20 {
		for _, j := range r.Perm(len(activities.Kinds()))[:1+r.IntN(2)] {
			c.Kinds = append(c.Kinds, activities.Kinds()[j])
		}
	}
	if r.IntN(100) < 15 {
		c.Programmes = []string{programmePrefixes[min(r.IntN(len(programmePrefixes)), r.IntN(len(programmePrefixes)))]}
	}
	return s
}

var t0 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Activity returns the i-th activity of the mix: four in five near a
// popular target, one in five anywhere on the sky.
func (m *Mix) Activity(i int) activities.Activity {
	r := m.rng(2, uint64(i))
	f := facilities[r.IntN(len(facilities))]
	a := activities.Activity{
		ID:         activities.NewID(f.source, fmt.Sprintf("%s-%d", m.name, i)),
		Source:     f.source,
		Kind:       activities.Kinds()[r.IntN(len(activities.Kinds()))],
		Facility:   f.name,
		Instrument: f.instruments[r.IntN(len(f.instruments))],
		Programme:  activities.Programme{ID: f.programme(r), PI: fmt.Sprintf("%c. Surname%d", 'A'+rune(r.IntN(26)), r.IntN(300000))},
		Start:      t0.Add(time.Duration(r.IntN(1e6)) * time.Second),
	}
	a.Target.Name = fmt.Sprintf("Target %d", r.IntN(nTargets))
	var ra, dec float64
	if r.IntN(5) == 0 {
		ra, dec = r.Float64()*360, math.Asin(2*r.Float64()-1)/deg
	} else {
		ra, dec = m.near(r, 0.5)
	}
	a.Target.SetPosition(ra, dec)
	maxFOV := 0.5
	if m.name == Narrow {
		maxFOV = 0.01
	}
	a.Target.FOVRadius = logUniform(r, 1.0/3600, maxFOV)
	return a
}

// Describe is a one-line description of the mix, for reports.
func (m *Mix) Describe() string {
	switch m.name {
	case Narrow:
		return "clustered cones and fields of view ≤ 0.01°, with facilities, instruments, kinds and programme prefixes"
	case SkyOnly:
		return "clustered cones up to 2°, no other criterion"
	}
	return strings.Join([]string{"clustered cones 1″–1° (15% of targets near RA 0/360 and the poles)",
		"40% facilities, 30% instruments, 20% kinds, 15% programme prefixes, 8% attribute-only"}, "; ")
}
