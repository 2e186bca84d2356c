package swift

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
		s, err := New(Options{HTTPOptions: connectors.HTTPOptions{Transport: rt, Retries: -1}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	connectortest.Run(t, connectortest.Harness{
		New: func(t *testing.T) activities.Source {
			return open(vcrtest.Replay(t, "testdata/swift", vcrtest.Repeatable()))
		},
		NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
		NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return open(rt) },
		Window:        day,
		MinActivities: 9,
	})
}
