package hst

import (
	"net/http"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

func TestConformanceMAST(t *testing.T) {
	open := func(rt http.RoundTripper) activities.Source {
		s, err := NewMAST(Options{Transport: rt, Retries: -1})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	connectortest.Run(t, connectortest.Harness{
		New:           func(t *testing.T) activities.Source { return open(vcrtest.Replay(t, "testdata/caom")) },
		NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
		Window:        caomWindow,
		MinActivities: 4,
	})
}

func TestConformanceTimeline(t *testing.T) {
	open := func(rt http.RoundTripper) activities.Source {
		s, err := NewTimeline(Options{Transport: rt, Retries: -1})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	connectortest.Run(t, connectortest.Harness{
		New:           func(t *testing.T) activities.Source { return open(vcrtest.Replay(t, "testdata/timeline")) },
		NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
		Window:        timelineWindow,
		MinActivities: 3,
	})
}
