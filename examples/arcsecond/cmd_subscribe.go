package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
	"github.com/arcsecond-go/arcsecond/subscribe/subscribetest"
)

func init() { register(addSubscribeCommands) }

func addSubscribeCommands(root *cobra.Command) {
	sub := &cobra.Command{
		Use:   "subscribe",
		Short: "Match activities against subscriptions",
	}
	var o matchOptions
	match := &cobra.Command{
		Use:   "match (--subscriptions SUBS.jsonl --activities ACTS.jsonl | --mix NAME) [--stats]",
		Short: "Print one JSON line {activity, subscription, reasons} per match",
		Long: `Loads the subscriptions (one JSON object a line, see subscribe/subscription.schema.json),
matches every activity (the activities' JSON encoding, one a line; "-" reads standard input)
and prints one JSON line per match: {"activity": ID, "subscription": ID, "reasons": [...]},
in the activities' order and, for one activity, by subscription ID.

--mix NAME draws the subscriptions and activities instead from one of the benchmark's seeded
populations (clustered, narrow or sky; see package subscribe/subscribetest): --mix-subscriptions
of them (10⁶ by default) and --mix-activities activities (2,000), with --seed.

--stats prints on standard error the index build time (on one core, GOMAXPROCS 1, as the
benchmark BenchmarkMatchMix builds: the garbage collector's work is in it, and its CPU time is
printed beside) and the heap it takes per subscription, and the latency of matching each
activity, measured once per activity as a server sees it:
finding the matches (p50, p99, and the same less 50 ns per match), then computing their
reasons; the matches per activity, and the garbage collections during matching.
--brute-force N also times brute force on the first N activities, beside the index.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.mix == "" && (o.subsPath == "" || o.actsPath == "") {
				return usageErrorf("subscribe match needs --subscriptions and --activities, or --mix")
			}
			if o.mix != "" && (o.subsPath != "" || o.actsPath != "") {
				return usageErrorf("--mix draws its own subscriptions and activities: drop --subscriptions and --activities")
			}
			if o.mixSubs < 1 || o.mixActs < 1 || o.bruteForce < 0 {
				return usageErrorf("--mix-subscriptions and --mix-activities must be positive, --brute-force not negative")
			}
			return runSubscribeMatch(cmd.OutOrStdout(), cmd.ErrOrStderr(), cmd.InOrStdin(), o)
		},
	}
	f := match.Flags()
	f.StringVar(&o.subsPath, "subscriptions", "", "subscriptions, one JSON object a line")
	f.StringVar(&o.actsPath, "activities", "", `activities, one JSON object a line ("-": standard input)`)
	f.BoolVar(&o.stats, "stats", false, "print index build time, heap and match latency percentiles on standard error")
	f.StringVar(&o.mix, "mix", "", "draw subscriptions and activities from a benchmark population: clustered, narrow or sky")
	f.IntVar(&o.mixSubs, "mix-subscriptions", 1_000_000, "subscriptions to draw with --mix")
	f.IntVar(&o.mixActs, "mix-activities", 2000, "activities to draw with --mix")
	f.Uint64Var(&o.seed, "seed", 1, "seed of --mix")
	f.IntVar(&o.bruteForce, "brute-force", 0, "with --stats, also time brute force on the first N activities")
	sub.AddCommand(match)
	root.AddCommand(sub)
}

type matchOptions struct {
	subsPath, actsPath string
	stats              bool
	mix                string
	mixSubs, mixActs   int
	seed               uint64
	bruteForce         int
}

// eachLine calls f with every non-blank line of r and its number.
func eachLine(r io.Reader, name string, f func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		if err := f(n, line); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", name, n+1, err)
	}
	return nil
}

func openInput(path string, stdin io.Reader) (io.Reader, func(), error) {
	if path == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, notFoundError{err}
		}
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

type matchLine struct {
	Activity     string             `json:"activity"`
	Subscription string             `json:"subscription"`
	Reasons      []subscribe.Reason `json:"reasons"`
}

func runSubscribeMatch(stdout, stderr io.Writer, stdin io.Reader, o matchOptions) error {
	if o.subsPath == "-" && o.actsPath == "-" {
		return usageErrorf("only one of --subscriptions and --activities can be standard input")
	}
	var mix *subscribetest.Mix
	if o.mix != "" {
		var err error
		if mix, err = subscribetest.New(subscribetest.MixName(o.mix), o.seed); err != nil {
			return usageErrorf("--mix: %v", err)
		}
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	subs, err := loadSubscriptions(o, mix, stdin)
	if err != nil {
		return err
	}
	m := subscribe.NewMatcher()
	procs := runtime.GOMAXPROCS(1)
	gc0, start := gcCPUSeconds(), time.Now()
	for _, s := range subs {
		if err := m.Add(s); err != nil {
			runtime.GOMAXPROCS(procs)
			return err
		}
	}
	buildTime, buildGC := time.Since(start), gcCPUSeconds()-gc0
	runtime.GOMAXPROCS(procs)
	var bf *subscribe.BruteForce
	if o.stats && o.bruteForce > 0 {
		bf = subscribe.NewBruteForce()
		for _, s := range subs {
			if err := bf.Add(s); err != nil {
				return err
			}
		}
	}
	subs = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	heapPerSub := 0.0
	if n := m.Len(); n > 0 && bf == nil {
		heapPerSub = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
	}

	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	var st matchStats
	var bfLat []time.Duration
	var hits []subscribe.Hit
	var ms []subscribe.Match
	runtime.ReadMemStats(&before)
	each := func(a *activities.Activity) error {
		t := time.Now()
		hits = m.AppendHits(hits[:0], a)
		d := time.Since(t)
		t = time.Now()
		ms = subscribe.AppendMatches(ms[:0], a, hits)
		st.add(d, time.Since(t), len(hits))
		if bf != nil && len(bfLat) < o.bruteForce {
			t := time.Now()
			bf.Match(a)
			bfLat = append(bfLat, time.Since(t))
		}
		slices.SortFunc(ms, func(x, y subscribe.Match) int { return strings.Compare(x.Subscription.ID, y.Subscription.ID) })
		for _, mt := range ms {
			if err := enc.Encode(matchLine{Activity: a.ID, Subscription: mt.Subscription.ID, Reasons: mt.Reasons}); err != nil {
				return err
			}
		}
		return nil
	}
	if mix != nil {
		for i := range o.mixActs {
			a := mix.Activity(i)
			if err := each(&a); err != nil {
				return err
			}
		}
	} else {
		ar, closeA, err := openInput(o.actsPath, stdin)
		if err != nil {
			return err
		}
		defer closeA()
		err = eachLine(ar, o.actsPath, func(n int, line []byte) error {
			var a activities.Activity
			if err := json.Unmarshal(line, &a); err != nil {
				return err
			}
			if err := a.Validate(); err != nil {
				return fmt.Errorf("activity %q: %w", a.ID, err)
			}
			return each(&a)
		})
		if err != nil {
			return err
		}
	}
	runtime.ReadMemStats(&after)
	if o.stats {
		fmt.Fprintf(stderr, "index build on one core: %s for %d subscriptions (%.1f s of it collecting garbage)", buildTime.Round(time.Millisecond), m.Len(), buildGC)
		if heapPerSub > 0 {
			fmt.Fprintf(stderr, ", heap %.0f B per subscription (the subscriptions included)", heapPerSub)
		}
		fmt.Fprintln(stderr)
		st.print(stderr)
		fmt.Fprintf(stderr, "garbage collections while matching: %d, pauses %s in total\n",
			after.NumGC-before.NumGC, time.Duration(after.PauseTotalNs-before.PauseTotalNs))
		if len(bfLat) > 0 {
			slices.Sort(bfLat)
			fmt.Fprintf(stderr, "brute force on the first %d activities: p50 %s, p99 %s\n", len(bfLat), pctl(bfLat, 0.5), pctl(bfLat, 0.99))
		}
	}
	return nil
}

// loadSubscriptions reads the subscriptions of --subscriptions, or draws
// those of --mix.
func loadSubscriptions(o matchOptions, mix *subscribetest.Mix, stdin io.Reader) ([]*subscribe.Subscription, error) {
	if mix != nil {
		subs := make([]*subscribe.Subscription, o.mixSubs)
		for i := range subs {
			subs[i] = mix.Subscription(i)
		}
		return subs, nil
	}
	sr, closeS, err := openInput(o.subsPath, stdin)
	if err != nil {
		return nil, err
	}
	defer closeS()
	var subs []*subscribe.Subscription
	ids := map[string]int{}
	err = eachLine(sr, o.subsPath, func(n int, line []byte) error {
		s, err := subscribe.ParseSubscription(line)
		if err != nil {
			return err
		}
		if prev, dup := ids[s.ID]; dup {
			return fmt.Errorf("subscription %q already defined on line %d", s.ID, prev)
		}
		ids[s.ID] = n
		subs = append(subs, s)
		return nil
	})
	return subs, err
}

// matchStats are the latencies of matching each activity: finding the
// matches, and computing their reasons.
type matchStats struct {
	find, excess, reasons, total []time.Duration
	matches, within              int
}

func (st *matchStats) add(find, reasons time.Duration, k int) {
	st.find = append(st.find, find)
	st.excess = append(st.excess, find-time.Duration(50*k))
	st.reasons = append(st.reasons, reasons)
	st.total = append(st.total, find+reasons)
	st.matches += k
	if find <= 20*time.Microsecond+time.Duration(50*k) {
		st.within++
	}
}

func (st *matchStats) print(w io.Writer) {
	n := len(st.find)
	for _, l := range [][]time.Duration{st.find, st.excess, st.reasons, st.total} {
		slices.Sort(l)
	}
	mean := 0.0
	if n > 0 {
		mean = float64(st.matches) / float64(n)
	}
	fmt.Fprintf(w, "match latency per activity: p50 %s, p99 %s over %d activities; %d matches (%.1f per activity)\n",
		pctl(st.find, 0.5), pctl(st.find, 0.99), n, st.matches, mean)
	if n > 0 {
		fmt.Fprintf(w, "less 50 ns per match: p50 %s, p99 %s; within 20 µs + 50 ns per match: %.1f%%\n",
			pctl(st.excess, 0.5), pctl(st.excess, 0.99), 100*float64(st.within)/float64(n))
	}
	fmt.Fprintf(w, "computing the reasons: p50 %s, p99 %s per activity; matches with reasons: p50 %s, p99 %s\n",
		pctl(st.reasons, 0.5), pctl(st.reasons, 0.99), pctl(st.total, 0.5), pctl(st.total, 0.99))
}

// gcCPUSeconds is the CPU time the garbage collector has used so far.
func gcCPUSeconds() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s[0].Value.Float64()
}

func pctl(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[int(q*float64(len(lat)-1))]
}
