// Package subscribetest generates seeded, reproducible populations of
// subscriptions and streams of activities for benchmarking and testing a
// [subscribe.Index]: the mixes of subscriptions users write ("MUSE within
// 5′ of my target", "anything ESO period 109", "every HST observation").
//
// The same (mix, seed) always yields the same subscriptions and
// activities, so that the benchmark in package subscribe and `arcsecond
// subscribe match --mix` measure the same population.
//
// # Calibration
//
// Issue 18 measured its three mixes at 10⁶ subscriptions with about 20
// (clustered), 7 (narrow) and 754 (sky-only) matches per activity. The
// vocabularies and the activity stream are chosen to reproduce those
// figures (TestMixCalibration checks them), keeping every property the
// issue lists:
//
//   - facilities: the 18 flagship facilities of the archives the
//     repository's connectors read (VLT, HST, JWST, Gemini, Swift, Chandra,
//     XMM-Newton, …, with their instruments and fields of view) draw a
//     tenth of the activities and of the facilities subscriptions name;
//     the rest go to a long tail of 2,000 observatories (one to three
//     instruments each, fields of view of 0.5′–15′) reached through VO
//     services. A subscription naming a facility, an instrument and a kind
//     then matches about one activity in 12,000, and the 8% attribute-only
//     subscriptions give about 6.5 matches per activity at 10⁶;
//   - kinds: the six kinds of activities.Kinds, uniformly;
//   - an activity's field of view is its instrument's (Narrow: 1″–0.01°);
//   - cones of Clustered are mostly small (95% of 1″–10′, "MUSE within 5′
//     of my target"; 5% of 10′–1°), and 15% of its activities point near
//     a popular target (the others anywhere): about 13 matches per
//     activity through a cone;
//   - cones of SkyOnly are of 1″–2° (log-uniform) and 80% of its
//     activities point near a popular target: about 760 matches.
package subscribetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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
	// Clustered: cones clustered around 6,000 popular targets (15% of
	// the targets near RA 0/360 or a pole), radius 1″–1° (95% under
	// 10′); 40% of the subscriptions also name 1–2 facilities, 30% 1–2
	// instruments, 20% kinds, 15% a programme prefix such as "109.*"; 8%
	// set no region but a facility, an instrument and a kind. Activities
	// have the fields of view of their instruments (0.3″–0.5°), 15% of
	// them near a popular target. About 20 matches per activity at 10⁶.
	Clustered MixName = "clustered"
	// Narrow: as Clustered, with cones and fields of view of at most
	// 0.01°. About 7 matches per activity at 10⁶.
	Narrow MixName = "narrow"
	// SkyOnly: cones only, 1″–2°, around the same popular targets;
	// fields of view as in Clustered, 80% of the activities near a
	// popular target. About 760 matches per activity at 10⁶.
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
	zipf    []float64  // cumulative popularity of targets
	tail    []facility // the long tail of observatories
	kinds   []activities.Kind
}

type skyTarget struct{ ra, dec float64 }

// instrument is an instrument of a facility and the radius in degrees of
// its field of view (half its width, rounded), which the activities it
// takes carry.
type instrument struct {
	name string
	fov  float64
}

// facility is a telescope with its instruments, the pools of the mixes.
type facility struct {
	name, source string
	instruments  []instrument
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

func cycleProgramme(r *rand.Rand) string { return fmt.Sprintf("%02d%03d", 20+r.IntN(8), r.IntN(1000)) }

// flagships are the facilities of the archives the repository's connectors
// read, with fields of view from their documentation (instruments whose
// field spans degrees, such as Swift BAT, Rubin's camera or TESS, are left
// out: the mixes describe pointed observations).
var flagships = []facility{
	{"VLT UT1", "eso", []instrument{{"FORS2", 0.057}, {"KMOS", 0.06}}, esoProgramme},
	{"VLT UT2", "eso", []instrument{{"UVES", 0.0015}, {"FLAMES", 0.21}}, esoProgramme},
	{"VLT UT3", "eso", []instrument{{"SPHERE", 0.0015}, {"X-shooter", 0.0015}}, esoProgramme},
	{"VLT UT4", "eso", []instrument{{"MUSE", 0.0083}, {"HAWK-I", 0.062}, {"ERIS", 0.001}}, esoProgramme},
	{"VISTA", "eso", []instrument{{"VIRCAM", 0.5}}, esoProgramme},
	{"ESO 3.6m", "eso", []instrument{{"HARPS", 0.0003}, {"NIRPS", 0.0003}}, esoProgramme},
	{"HST", "hst", []instrument{{"WFC3/UVIS", 0.0225}, {"WFC3/IR", 0.019}, {"ACS/WFC", 0.028}, {"COS", 0.0003}, {"STIS", 0.0035}}, hstProgramme},
	{"JWST", "jwst", []instrument{{"NIRCAM", 0.04}, {"NIRSPEC", 0.028}, {"MIRI", 0.01}, {"NIRISS", 0.018}}, hstProgramme},
	{"Gemini North", "gemini", []instrument{{"GMOS-N", 0.046}, {"GNIRS", 0.014}, {"NIRI", 0.017}}, geminiProgramme},
	{"Gemini South", "gemini", []instrument{{"GMOS-S", 0.046}, {"F2", 0.05}, {"IGRINS-2", 0.0007}}, geminiProgramme},
	{"Swift", "swift", []instrument{{"XRT", 0.197}, {"UVOT", 0.14}}, swiftProgramme},
	{"Chandra", "chandra", []instrument{{"ACIS-I", 0.14}, {"ACIS-S", 0.1}, {"HRC-I", 0.25}}, cycleProgramme},
	{"XMM-Newton", "xmm", []instrument{{"EPIC-pn", 0.25}, {"EPIC-MOS", 0.25}, {"RGS", 0.08}, {"OM", 0.14}}, cycleProgramme},
	{"NuSTAR", "nustar", []instrument{{"FPMA", 0.1}, {"FPMB", 0.1}}, cycleProgramme},
	{"NICER", "nicer", []instrument{{"XTI", 0.05}}, cycleProgramme},
	{"IXPE", "ixpe", []instrument{{"GPD", 0.1}}, cycleProgramme},
	{"XRISM", "xrism", []instrument{{"Resolve", 0.025}, {"Xtend", 0.32}}, cycleProgramme},
	{"Euclid", "euclid", []instrument{{"VIS", 0.4}, {"NISP", 0.4}}, cycleProgramme},
}

// flagshipShare is the share of activities, and of the facilities
// subscriptions name, that are of a flagship facility; the others are of
// the long tail of observatories (nTail, each with one to three
// instruments), which reach the feed through VO services (ObsCore,
// ObsLocTAP) and the observatories that publish their own logs.
const (
	flagshipShare = 0.1
	nTail         = 2000
)

// tailInstruments are the instruments of the long tail, each observatory
// having one to three of them.
var tailInstruments = []string{"CCD", "Spectrograph", "Photometer", "IFU", "NIR camera", "Echelle", "Polarimeter"}

// tailFacilities builds the long tail of observatories: a pure function
// of the seed.
func tailFacilities(seed uint64) []facility {
	r := rand.New(rand.NewPCG(seed, 0x7a2a))
	out := make([]facility, nTail)
	for i := range out {
		f := &out[i]
		f.name, f.source = fmt.Sprintf("Observatory %04d", i), "vo"
		for _, j := range r.Perm(len(tailInstruments))[:1+r.IntN(3)] {
			// Fields of view of 0.5′ to 15′ in radius.
			f.instruments = append(f.instruments, instrument{tailInstruments[j], skyrand.LogUniform(r, 0.5/60, 0.25)})
		}
		code := fmt.Sprintf("OBS%04d-", i)
		f.programme = func(r *rand.Rand) string { return fmt.Sprintf("%s%d-%03d", code, 2024+r.IntN(3), r.IntN(200)) }
	}
	return out
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
	m := &Mix{name: name, seed: seed, tail: tailFacilities(seed), kinds: activities.Kinds()}
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

// facility draws a facility: a flagship one (flagshipShare of the
// draws) or one of the long tail, uniformly within each.
func (m *Mix) facility(r *rand.Rand) *facility {
	if r.Float64() < flagshipShare {
		return &flagships[r.IntN(len(flagships))]
	}
	return &m.tail[r.IntN(len(m.tail))]
}

// smallConeShare is the share of the cones of Clustered of at most 10′
// ("MUSE within 5′ of my target"); the others, up to 1°, watch a field.
const smallConeShare = 0.95

// radius draws the radius of a cone in degrees.
func (m *Mix) radius(r *rand.Rand) float64 {
	switch m.name {
	case Narrow:
		return logUniform(r, 1.0/3600, 0.01)
	case SkyOnly:
		return logUniform(r, 1.0/3600, 2)
	}
	if r.Float64() < smallConeShare {
		return logUniform(r, 1.0/3600, 10.0/60)
	}
	return logUniform(r, 10.0/60, 1)
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

// Subscription returns the i-th subscription of the mix (ID "<mix>-<i>").
func (m *Mix) Subscription(i int) *subscribe.Subscription {
	r := m.rng(1, uint64(i))
	s := &subscribe.Subscription{ID: fmt.Sprintf("%s-%d", m.name, i)}
	c := &s.Criteria
	ra, dec := m.near(r, 0.5)
	cone := subscribe.Region{RA: ra, Dec: dec, Radius: m.radius(r)}
	if m.name == SkyOnly {
		c.Regions = []subscribe.Region{cone}
		return s
	}
	kinds := m.kinds
	if r.IntN(100) < 8 { // attribute-only
		f := m.facility(r)
		c.Facilities = []string{f.name}
		c.Instruments = []string{f.instruments[r.IntN(len(f.instruments))].name}
		c.Kinds = []activities.Kind{kinds[r.IntN(len(kinds))]}
		return s
	}
	c.Regions = []subscribe.Region{cone}
	var fs []*facility
	if r.IntN(100) < 40 {
		for n := 1 + r.IntN(2); len(fs) < n; {
			if f := m.facility(r); !slices.Contains(fs, f) {
				fs = append(fs, f)
				c.Facilities = append(c.Facilities, f.name)
			}
		}
	}
	if r.IntN(100) < 30 {
		if len(fs) == 0 { // instruments of one facility, not named
			fs = []*facility{m.facility(r)}
		}
		var pool []string
		for _, f := range fs {
			for _, in := range f.instruments {
				if !contains(pool, in.name) {
					pool = append(pool, in.name)
				}
			}
		}
		c.Instruments = pickN(r, pool, min(len(pool), 1+r.IntN(2)))
	}
	if r.IntN(100) < 20 {
		for _, j := range r.Perm(len(kinds))[:1+r.IntN(2)] {
			c.Kinds = append(c.Kinds, kinds[j])
		}
	}
	if r.IntN(100) < 15 {
		c.Programmes = []string{programmePrefixes[min(r.IntN(len(programmePrefixes)), r.IntN(len(programmePrefixes)))]}
	}
	return s
}

var t0 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// nearShare is the share of activities pointed near a popular target; the
// others point anywhere on the sky.
func (m *Mix) nearShare() float64 {
	if m.name == SkyOnly {
		return 0.8
	}
	return 0.15
}

// Activity returns the i-th activity of the mix: of a facility drawn as
// for the subscriptions, with the field of view of its instrument (at
// most 0.01° in Narrow), four in five near a popular target, one in five
// anywhere on the sky.
func (m *Mix) Activity(i int) activities.Activity {
	r := m.rng(2, uint64(i))
	f := m.facility(r)
	in := f.instruments[r.IntN(len(f.instruments))]
	kinds := m.kinds
	a := activities.Activity{
		ID:         activities.NewID(f.source, fmt.Sprintf("%s-%d", m.name, i)),
		Source:     f.source,
		Kind:       kinds[r.IntN(len(kinds))],
		Facility:   f.name,
		Instrument: in.name,
		Programme:  activities.Programme{ID: f.programme(r), PI: fmt.Sprintf("%c. Surname%d", 'A'+rune(r.IntN(26)), r.IntN(300000))},
		Start:      t0.Add(time.Duration(r.IntN(1e6)) * time.Second),
	}
	a.Target.Name = fmt.Sprintf("Target %d", r.IntN(nTargets))
	var ra, dec float64
	if r.Float64() >= m.nearShare() {
		ra, dec = r.Float64()*360, math.Asin(2*r.Float64()-1)/deg
	} else {
		ra, dec = m.near(r, 0.5)
	}
	a.Target.SetPosition(ra, dec)
	a.Target.FOVRadius = in.fov
	if m.name == Narrow {
		a.Target.FOVRadius = logUniform(r, 1.0/3600, 0.01)
	}
	return a
}

// Describe is a one-line description of the mix, for reports.
func (m *Mix) Describe() string {
	switch m.name {
	case Narrow:
		return "clustered cones and fields of view ≤ 0.01°, with facilities, instruments, kinds and programme prefixes"
	case SkyOnly:
		return "clustered cones 1″–2°, no other criterion; 80% of activities near a popular target"
	}
	return strings.Join([]string{"clustered cones 1″–1°, 95% under 10′ (15% of targets near RA 0/360 and the poles)",
		"40% facilities, 30% instruments, 20% kinds, 15% programme prefixes, 8% attribute-only",
		"15% of activities near a popular target"}, "; ")
}
