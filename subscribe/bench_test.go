package subscribe

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

var raceEnabled bool

// benchSizeWanted lets -bench select a size without building the others:
// -bench 'Match/.*/subs=100000$'.
func benchSizeWanted(b *testing.B, n int) bool {
	f := flag.Lookup("test.bench").Value.String()
	if !strings.Contains(f, "subs=") {
		return true
	}
	_, after, ok := strings.Cut(f, fmt.Sprintf("subs=%d", n))
	return ok && (after == "" || after[0] < '0' || after[0] > '9')
}

// The benchmark population: large pools, a mix of attribute and sky
// criteria resembling what users of an observation feed ask for.
const (
	benchProgrammes = 2_000_000
	benchTargets    = 1_000_000
	benchSurnames   = 300_000
)

var benchInstruments = []string{"MUSE", "FORS2", "UVES", "HAWK-I", "KMOS", "SPHERE", "ESPRESSO", "X-shooter",
	"WFC3/UVIS", "WFC3/IR", "ACS/WFC", "COS", "STIS", "GMOS-N", "GMOS-S", "GNIRS", "NIRI", "F2", "XRT", "UVOT", "BAT"}
var benchFacilities = []string{"VLT UT1", "VLT UT2", "VLT UT3", "VLT UT4", "HST", "Gemini North", "Gemini South", "Swift", "JWST", "VISTA"}

func benchProgramme(i int) string {
	return fmt.Sprintf("%04d.%c-%04d", 100+i%20, 'A'+rune(i/20%6), i/120)
}
func benchTarget(i int) string  { return fmt.Sprintf("NGC %d", i) }
func benchSurname(i int) string { return fmt.Sprintf("Surname%d", i) }

// benchSub draws one subscription of the benchmark mix:
// 30% programme (exact, 1–2 IDs, from 2·10⁶), 0.5% programme prefix (10
// IDs each), 20% target (from 10⁶ names; one in five a glob with a literal
// prefix), 15% observer (from 3·10⁵ surnames; half with an initial), 34.5%
// sky cone (radius log-uniform 1″–1°, half also constrained to an
// instrument), and 1 in 10⁵ each instrument-only, facility-only and
// source+kind. A third also restrict kinds.
func benchSub(r *rand.Rand, id int) *Subscription {
	s := &Subscription{ID: fmt.Sprintf("b%d", id)}
	c := &s.Criteria
	x := r.IntN(100_000)
	switch {
	case x < 30_000:
		c.Programmes = []string{benchProgramme(r.IntN(benchProgrammes))}
		if r.IntN(4) == 0 {
			c.Programmes = append(c.Programmes, benchProgramme(r.IntN(benchProgrammes)))
		}
	case x < 30_500:
		p := benchProgramme(r.IntN(benchProgrammes))
		c.Programmes = []string{p[:len(p)-1] + "*"}
	case x < 50_500:
		t := benchTarget(r.IntN(benchTargets))
		if r.IntN(5) == 0 {
			t = t[:len(t)-1] + "*"
		}
		c.Targets = []string{t}
	case x < 65_500:
		o := benchSurname(r.IntN(benchSurnames))
		if r.IntN(2) == 0 {
			o = string(rune('A'+r.IntN(26))) + ". " + o
		}
		c.Observers = []string{o}
	case x < 99_997:
		ra, dec := r.Float64()*360, math.Asin(2*r.Float64()-1)/deg
		c.Regions = []Region{{RA: ra, Dec: dec, Radius: logUniform(r, 1.0/3600, 1)}}
		if r.IntN(2) == 0 {
			c.Instruments = []string{benchInstruments[r.IntN(len(benchInstruments))]}
		}
	case x < 99_998:
		c.Instruments = []string{benchInstruments[r.IntN(len(benchInstruments))]}
	case x < 99_999:
		c.Facilities = []string{benchFacilities[r.IntN(len(benchFacilities))]}
	default:
		c.Sources = []string{pSources[r.IntN(len(pSources))]}
		c.Kinds = []activities.Kind{activities.KindStarted}
	}
	if r.IntN(3) == 0 && len(c.Kinds) == 0 {
		c.Kinds = []activities.Kind{activities.Kinds()[r.IntN(4)]}
	}
	return s
}

// benchActivity draws an activity: uniform on the sky, field of view
// log-uniform 1″–1°, PI and 0–2 co-investigators.
func benchActivity(r *rand.Rand, i int) activities.Activity {
	src := pSources[r.IntN(len(pSources))]
	a := activities.Activity{
		ID: activities.NewID(src, fmt.Sprint(i)), Source: src, Kind: activities.Kinds()[r.IntN(4)],
		Facility:   benchFacilities[r.IntN(len(benchFacilities))],
		Instrument: benchInstruments[r.IntN(len(benchInstruments))],
		Programme: activities.Programme{ID: benchProgramme(r.IntN(benchProgrammes)),
			PI: string(rune('A'+r.IntN(26))) + ". " + benchSurname(r.IntN(benchSurnames))},
		Target: activities.Target{Name: benchTarget(r.IntN(benchTargets))},
		Start:  t0.Add(time.Duration(r.IntN(1e6)) * time.Second),
	}
	for range r.IntN(3) {
		a.Programme.Investigators = append(a.Programme.Investigators, benchSurname(r.IntN(benchSurnames))+", "+string(rune('A'+r.IntN(26)))+".")
	}
	a.Target.SetPosition(r.Float64()*360, math.Asin(2*r.Float64()-1)/deg)
	a.Target.FOVRadius = logUniform(r, 1.0/3600, 1)
	return a
}

// buildBench fills m with n benchmark subscriptions and returns the build
// time (wall clock and the building thread's CPU time) and the heap growth
// per subscription: the index plus the Subscription records it holds.
func buildBench(tb testing.TB, m Index, n int) (wall, cpu time.Duration, perSub float64) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := rand.New(rand.NewPCG(7, uint64(n)))
	subs := make([]*Subscription, n)
	for i := range subs {
		subs[i] = benchSub(r, i)
	}
	runtime.LockOSThread()
	start, c := time.Now(), threadCPU()
	for _, s := range subs {
		if err := m.Add(s); err != nil {
			tb.Fatal(err)
		}
	}
	wall, cpu = time.Since(start), time.Duration(threadCPU()-c)
	runtime.UnlockOSThread()
	subs = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	return wall, cpu, float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
}

// latencies matches n benchmark activities and returns, sorted, the
// per-activity wall-clock latencies of Match (preparing the activity
// included) in two regimes, and the mean number of matches:
//
//   - cold: the activities are matched one after the other as a stream,
//     each once per pass, and the least of `passes` passes is kept for
//     each. Between two matches of one activity the other n-1 have gone
//     through the caches, so every measurement starts with the index's data
//     for this activity in main memory, as in a server matching a live
//     feed (the activity itself is read just before, as decoding it would
//     have done); taking the least of several passes keeps time stolen by
//     other processes out of the figures.
//   - warm: each activity is matched `repeat` times in a row and the least
//     time kept: the index's data for it are then in the caches, as in a
//     benchmark loop over one input. This is the cost of the matching work
//     itself.
//
// The clock is the monotonic wall clock (read without a system call). The
// thread CPU clock is not used here: reading it is a system call, and on
// this kind of virtual machine a system call between two matches costs
// the caches and TLB that the measurement is about.
func latencies(m Index, n, passes, repeat int) (cold, warm []time.Duration, mean float64) {
	r := rand.New(rand.NewPCG(9, 9))
	acts := make([]activities.Activity, n)
	for i := range acts {
		acts[i] = benchActivity(r, i)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	overhead := time.Duration(math.MaxInt64)
	for range 1000 {
		t := time.Now()
		overhead = min(overhead, time.Since(t))
	}
	once := func(a *activities.Activity) (time.Duration, int) {
		readActivity(a)
		t := time.Now()
		ms := m.Match(a)
		return max(0, time.Since(t)-overhead), len(ms)
	}
	cold, warm = make([]time.Duration, n), make([]time.Duration, n)
	total := 0
	for p := range passes {
		for i := range acts {
			d, k := once(&acts[i])
			if p == 0 {
				total += k
				cold[i] = d
			}
			cold[i] = min(cold[i], d)
		}
	}
	for i := range acts {
		for k := range repeat {
			d, _ := once(&acts[i])
			if k == 0 {
				warm[i] = d
			}
			warm[i] = min(warm[i], d)
		}
	}
	slices.Sort(cold)
	slices.Sort(warm)
	return cold, warm, float64(total) / float64(n)
}

// readActivity reads every string of a, as decoding it would have just
// done: in a server the activity being matched is in the cache, only the
// index is not.
func readActivity(a *activities.Activity) {
	n := 0
	for _, s := range []string{a.ID, a.Source, string(a.Kind), a.Facility, a.Instrument, a.Programme.ID,
		a.Programme.PI, a.Target.Name} {
		for i := 0; i < len(s); i++ {
			n += int(s[i])
		}
	}
	for _, s := range a.Programme.Investigators {
		n += len(s)
	}
	readSink = n
}

var readSink int

func pct(lat []time.Duration, p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }

// BenchmarkMatch reports, for 10⁴, 10⁵ and 10⁶ subscriptions of the
// benchmark mix, the p50 and p99 latency of matching one activity (Match,
// including preparing the activity) on a stream of distinct activities
// (cold) and repeated on one activity (warm), the build time of the index
// (wall clock and the building thread's CPU time) and the heap per
// subscription (the Subscription records included), for the indexed
// matcher and brute force side by side.
func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		if !benchSizeWanted(b, n) {
			continue
		}
		m := NewMatcher()
		build, buildCPU, mem := buildBench(b, m, n)
		bf := NewBruteForce()
		buildBench(b, bf, n)
		b.Run(fmt.Sprintf("indexed/subs=%d", n), func(b *testing.B) {
			var cold, warm []time.Duration
			var mean float64
			for b.Loop() {
				cold, warm, mean = latencies(m, 20000, 3, 5)
			}
			b.ReportMetric(float64(pct(cold, 0.5).Nanoseconds()), "cold-p50-ns")
			b.ReportMetric(float64(pct(cold, 0.99).Nanoseconds()), "cold-p99-ns")
			b.ReportMetric(float64(pct(warm, 0.5).Nanoseconds()), "warm-p50-ns")
			b.ReportMetric(float64(pct(warm, 0.99).Nanoseconds()), "warm-p99-ns")
			b.ReportMetric(mean, "matches/act")
			b.ReportMetric(build.Seconds(), "build-s")
			b.ReportMetric(buildCPU.Seconds(), "build-cpu-s")
			b.ReportMetric(mem, "B/sub")
		})
		b.Run(fmt.Sprintf("bruteforce/subs=%d", n), func(b *testing.B) {
			acts := max(20, 2_000_000/n)
			var lat []time.Duration
			for b.Loop() {
				lat, _, _ = latencies(bf, acts, 1, 1)
			}
			b.ReportMetric(float64(pct(lat, 0.5).Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(pct(lat, 0.99).Nanoseconds()), "p99-ns")
		})
	}
}

// TestBenchMixMatchesSomething guards the benchmark population: the
// activities must match a few subscriptions each, as in real use, and the
// indexed and brute-force matchers must agree on it.
func TestBenchMixMatchesSomething(t *testing.T) {
	n := 20000
	if raceEnabled || testing.Short() {
		n = 3000
	}
	m, bf := NewMatcher(), NewBruteForce()
	buildBench(t, m, n)
	buildBench(t, bf, n)
	r := rand.New(rand.NewPCG(9, 9))
	total := 0
	for i := range 300 {
		a := benchActivity(r, i)
		got, want := matchIDs(m.Match(&a)), matchIDs(bf.Match(&a))
		if !slices.Equal(got, want) {
			t.Fatalf("activity %d: indexed %v, brute force %v", i, got, want)
		}
		total += len(got)
	}
	if total == 0 {
		t.Fatal("the benchmark mix matched nothing")
	}
}

// BenchmarkMatchWhileAdding builds an index of 10⁶ subscriptions on one
// goroutine while another matches a stream of activities against it, and
// reports the latency of those matches (p50, p99, p99.9 and the worst) and
// of the additions (p99 and the worst): growing the index must not stall
// matching.
func BenchmarkMatchWhileAdding(b *testing.B) {
	const n = 1_000_000
	r := rand.New(rand.NewPCG(7, n))
	subs := make([]*Subscription, n)
	for i := range subs {
		subs[i] = benchSub(r, i)
	}
	ar := rand.New(rand.NewPCG(9, 9))
	acts := make([]activities.Activity, 20000)
	for i := range acts {
		acts[i] = benchActivity(ar, i)
	}
	for b.Loop() {
		m := NewMatcher()
		done := make(chan []time.Duration)
		stop := make(chan struct{})
		go func() {
			var lat []time.Duration
			for i := 0; ; i++ {
				select {
				case <-stop:
					done <- lat
					return
				default:
				}
				a := &acts[i%len(acts)]
				t := time.Now()
				m.Match(a)
				lat = append(lat, time.Since(t))
			}
		}()
		adds := make([]time.Duration, n)
		for i, s := range subs {
			t := time.Now()
			if err := m.Add(s); err != nil {
				b.Fatal(err)
			}
			adds[i] = time.Since(t)
		}
		close(stop)
		lat := <-done
		slices.Sort(lat)
		slices.Sort(adds)
		b.ReportMetric(float64(pct(lat, 0.5).Nanoseconds()), "match-p50-ns")
		b.ReportMetric(float64(pct(lat, 0.99).Nanoseconds()), "match-p99-ns")
		b.ReportMetric(float64(pct(lat, 0.999).Nanoseconds()), "match-p999-ns")
		b.ReportMetric(float64(lat[len(lat)-1].Nanoseconds()), "match-max-ns")
		b.ReportMetric(float64(len(lat)), "matches")
		b.ReportMetric(float64(pct(adds, 0.99).Nanoseconds()), "add-p99-ns")
		b.ReportMetric(float64(adds[len(adds)-1].Nanoseconds()), "add-max-ns")
	}
}
