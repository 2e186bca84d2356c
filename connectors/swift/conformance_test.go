package swift

import (
	"net/http"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

func TestConformance(t *testing.T) {
	open := func(rt http.RoundTripper) activities.Source {
		s, err := New(Options{Transport: rt, Retries: -1})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	connectortest.Run(t, connectortest.Harness{
		New:           func(t *testing.T) activities.Source { return open(vcrtest.Replay(t, "testdata/swift")) },
		NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
		Window:        day,
		MinActivities: 9,
	})
}
