package gemini

import (
	"net/http"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

func TestConformance(t *testing.T) {
	open := func(rt http.RoundTripper) activities.Source {
		s, err := New(Options{AllDates: true, NoProgramInfo: true, Query: Query{Object: "m101"}, TruncatedAsWarning: true, HTTPOptions: connectors.HTTPOptions{Transport: rt, Retries: -1}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	connectortest.Run(t, connectortest.Harness{
		New: func(t *testing.T) activities.Source {
			return open(vcrtest.Replay(t, "testdata/m101", vcrtest.Repeatable()))
		},
		NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
		NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return open(rt) },
		Window:        m101Window,
		MinActivities: 89,
	})
}

func TestTruncatedAsWarning(t *testing.T) {
	s, _ := New(Options{AllDates: true, NoProgramInfo: true, Query: Query{Object: "m101"}, TruncatedAsWarning: true, HTTPOptions: connectors.HTTPOptions{Transport: vcrtest.Replay(t, "testdata/m101"), Retries: -1}})
	var st connectors.Stats
	acts, err := activities.Collect(s.Activities(connectors.WithStats(t.Context(), &st), m101Window))
	if err != nil || len(acts) != 89 || st.Counts()["warning: results truncated"] != 1 {
		t.Fatalf("got %d activities, %v, warnings %v", len(acts), err, st.Counts())
	}
}
