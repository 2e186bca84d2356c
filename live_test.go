package arcsecond

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// TestLiveWindowAgreesWithREST drives the live stream and the REST listing
// through the node's handler with one window: an activity that started
// before the window and has no end is in neither; one inside is in both.
func TestLiveWindowAgreesWithREST(t *testing.T) {
	ts := startNode(t, NodeOptions{})
	n := ts.node
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	window := "start=2025-01-01T00:00:00Z&end=2025-01-01T01:00:00Z"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.base+"/activities/events?"+window, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	before := activities.Activity{ID: "eso:before", Source: "eso", Kind: activities.KindStarted, Facility: "VLT", Revision: 1, Start: t0.Add(-time.Minute)}
	inside := activities.Activity{ID: "eso:inside", Source: "eso", Kind: activities.KindStarted, Facility: "VLT", Revision: 1, Start: t0.Add(time.Minute)}
	// One after the other: the stream sends them in this order if at all.
	for _, a := range []activities.Activity{before, inside} {
		if _, err := n.Feed().Ingest(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	sc := bufio.NewScanner(resp.Body)
	var first activities.Activity
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			if err := json.Unmarshal([]byte(data), &first); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if first.ID != "eso:inside" {
		t.Errorf("live stream's first activity %q, want eso:inside (eso:before has no end and started before the window)", first.ID)
	}
	var page struct{ Activities []activities.Activity }
	ts.getJSON(t, "/api/activities?"+window, &page)
	if len(page.Activities) != 1 || page.Activities[0].ID != "eso:inside" {
		t.Errorf("REST lists %+v, want eso:inside alone", page.Activities)
	}
}
