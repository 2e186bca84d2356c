package gemini

import (
	"net/http"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

func TestConformance(t *testing.T) {
	open := func(rt http.RoundTripper) activities.Source {
		s, err := New(Options{Transport: rt, AllDates: true, NoProgramInfo: true, Query: Query{Object: "m101"},
			Retries: -1, TruncatedAsWarning: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	connectortest.Run(t, connectortest.Harness{
		New:           func(t *testing.T) activities.Source { return open(vcrtest.Replay(t, "testdata/m101")) },
		NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
		Window:        m101Window,
		MinActivities: 89,
	})
}

func TestTruncatedAsWarning(t *testing.T) {
	s, _ := New(Options{Transport: vcrtest.Replay(t, "testdata/m101"), AllDates: true, NoProgramInfo: true,
		Query: Query{Object: "m101"}, Retries: -1, TruncatedAsWarning: true})
	acts, err := activities.Collect(s.Activities(t.Context(), m101Window))
	if err != nil || len(acts) != 89 || s.Warnings()["warning: results truncated"] != 1 {
		t.Fatalf("got %d activities, %v, warnings %v", len(acts), err, s.Warnings())
	}
}
