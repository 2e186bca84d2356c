package connectortest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// listing is what one listing gave: its IDs, its error and its counts.
type listing struct {
	ids     []string
	err     error
	records int
	counts  map[string]int
}

func listWithStats(ctx context.Context, src activities.Source, w activities.Window) listing {
	var st connectors.Stats
	var l listing
	for a, err := range src.Activities(connectors.WithStats(ctx, &st), w) {
		if err != nil {
			l.err = err
			break
		}
		l.ids = append(l.ids, a.ID)
	}
	slices.Sort(l.ids)
	l.records, l.counts = st.Records(), st.Counts()
	return l
}

// checkConcurrent lists the window once alone, then twice at once on the
// same source, and checks the two concurrent listings each give what the
// single one gave: the same activities, the same outcome and the same
// counts (counts kept per source instead of per listing would double or
// reset).
func checkConcurrent(t *testing.T, h Harness) []Failure {
	before := goroutines()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	src := h.New(t)
	alone := listWithStats(ctx, src, h.Window)
	var both [2]listing
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range both {
		wg.Go(func() {
			<-start
			both[i] = listWithStats(ctx, src, h.Window)
		})
	}
	close(start)
	wg.Wait()
	cancel()
	var fs []Failure
	for i, l := range both {
		who := fmt.Sprintf("concurrent listing %d", i+1)
		if (l.err == nil) != (alone.err == nil) {
			fs = append(fs, Failure{"concurrent", fmt.Sprintf("%s ended with %v; alone: %v", who, l.err, alone.err)})
		}
		if !slices.Equal(l.ids, alone.ids) {
			fs = append(fs, Failure{"concurrent", fmt.Sprintf("%s listed %d activities, alone %d (or other IDs)", who, len(l.ids), len(alone.ids))})
		}
		if l.records != alone.records || !maps.Equal(l.counts, alone.counts) {
			fs = append(fs, Failure{"concurrent", fmt.Sprintf("%s counted %d records %v; alone %d records %v",
				who, l.records, l.counts, alone.records, alone.counts)})
		}
	}
	return append(fs, leaked(before)...)
}
