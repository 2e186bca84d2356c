package gemini

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/faulttest"
)

func TestFaults(t *testing.T) {
	faulttest.Run(t, faulttest.Harness{
		Open: func(t *testing.T, u string, retries int) activities.Source {
			s, err := New(Options{BaseURL: u, Retries: retries, RatePerHost: -1, AllDates: true, NoProgramInfo: true,
				TruncatedAsWarning: true})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		Good: mustRead(t, "testdata/m101.json"), ContentType: "application/json", Window: m101Window, Want: 89,
	})
}
