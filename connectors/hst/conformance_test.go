package hst

import (
	"net/http"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

func TestConformanceMAST(t *testing.T) {
	open := func(rt http.RoundTripper) activities.Source {
		s, err := NewMAST(Options{HTTPOptions: connectors.HTTPOptions{Transport: rt, Retries: -1}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	connectortest.Run(t, connectortest.Harness{
		New: func(t *testing.T) activities.Source {
			return open(vcrtest.Replay(t, "testdata/caom", vcrtest.Repeatable()))
		},
		NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
		NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return open(rt) },
		Window:        caomWindow,
		MinActivities: 4,
	})
}

func TestConformanceTimeline(t *testing.T) {
	open := func(rt http.RoundTripper) activities.Source {
		s, err := NewTimeline(Options{HTTPOptions: connectors.HTTPOptions{Transport: rt, Retries: -1}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	connectortest.Run(t, connectortest.Harness{
		New: func(t *testing.T) activities.Source {
			return open(vcrtest.Replay(t, "testdata/timeline", vcrtest.Repeatable()))
		},
		NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
		NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return open(rt) },
		Window:        timelineWindow,
		MinActivities: 3,
	})
}
