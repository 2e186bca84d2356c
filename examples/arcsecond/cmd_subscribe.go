package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

func init() { register(addSubscribeCommands) }

func addSubscribeCommands(root *cobra.Command) {
	sub := &cobra.Command{
		Use:   "subscribe",
		Short: "Match activities against subscriptions",
	}
	var subsPath, actsPath string
	var stats bool
	match := &cobra.Command{
		Use:   "match --subscriptions SUBS.jsonl --activities ACTS.jsonl [--stats]",
		Short: "Print one JSON line {activity, subscription, reasons} per match",
		Long: `Loads the subscriptions (one JSON object a line, see subscribe/subscription.schema.json),
matches every activity (the activities' JSON encoding, one a line; "-" reads standard input)
and prints one JSON line per match: {"activity": ID, "subscription": ID, "reasons": [...]},
in the activities' order and, for one activity, by subscription ID. --stats prints on
standard error the index build time and the p50 and p99 match latency per activity.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if subsPath == "" || actsPath == "" {
				return usageErrorf("subscribe match needs --subscriptions and --activities")
			}
			return runSubscribeMatch(cmd.OutOrStdout(), cmd.ErrOrStderr(), cmd.InOrStdin(), subsPath, actsPath, stats)
		},
	}
	match.Flags().StringVar(&subsPath, "subscriptions", "", "subscriptions, one JSON object a line")
	match.Flags().StringVar(&actsPath, "activities", "", `activities, one JSON object a line ("-": standard input)`)
	match.Flags().BoolVar(&stats, "stats", false, "print index build time and match latency percentiles on standard error")
	sub.AddCommand(match)
	root.AddCommand(sub)
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

func runSubscribeMatch(stdout, stderr io.Writer, stdin io.Reader, subsPath, actsPath string, stats bool) error {
	if subsPath == "-" && actsPath == "-" {
		return usageErrorf("only one of --subscriptions and --activities can be standard input")
	}
	sr, closeS, err := openInput(subsPath, stdin)
	if err != nil {
		return err
	}
	defer closeS()
	m := subscribe.NewMatcher()
	ids := map[string]int{}
	var buildTime time.Duration
	err = eachLine(sr, subsPath, func(n int, line []byte) error {
		s, err := subscribe.ParseSubscription(line)
		if err != nil {
			return err
		}
		if prev, dup := ids[s.ID]; dup {
			return fmt.Errorf("subscription %q already defined on line %d", s.ID, prev)
		}
		ids[s.ID] = n
		t := time.Now()
		err = m.Add(s)
		buildTime += time.Since(t)
		return err
	})
	if err != nil {
		return err
	}
	ar, closeA, err := openInput(actsPath, stdin)
	if err != nil {
		return err
	}
	defer closeA()
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	var lat []time.Duration
	nMatches := 0
	err = eachLine(ar, actsPath, func(n int, line []byte) error {
		var a activities.Activity
		if err := json.Unmarshal(line, &a); err != nil {
			return err
		}
		if err := a.Validate(); err != nil {
			return fmt.Errorf("activity %q: %w", a.ID, err)
		}
		t := time.Now()
		ms := m.Match(&a)
		lat = append(lat, time.Since(t))
		slices.SortFunc(ms, func(x, y subscribe.Match) int { return strings.Compare(x.Subscription.ID, y.Subscription.ID) })
		for _, mt := range ms {
			nMatches++
			if err := enc.Encode(matchLine{Activity: a.ID, Subscription: mt.Subscription.ID, Reasons: mt.Reasons}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if stats {
		slices.Sort(lat)
		p := func(q float64) time.Duration {
			if len(lat) == 0 {
				return 0
			}
			return lat[int(q*float64(len(lat)-1))]
		}
		fmt.Fprintf(stderr, "index build: %s for %d subscriptions\n", buildTime.Round(time.Microsecond), m.Len())
		fmt.Fprintf(stderr, "match latency per activity: p50 %s, p99 %s over %d activities; %d matches\n", p(0.5), p(0.99), len(lat), nMatches)
	}
	return nil
}
