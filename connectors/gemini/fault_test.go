package gemini

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/faulttest"
)

// TestFaults runs the shared fault scenarios; the login pages, which only
// this archive serves, are TestLoginMissingAndExpired's.
func TestFaults(t *testing.T) {
	faulttest.Run(t, faulttest.Harness{
		Open: func(u string, retries int) (activities.Source, error) {
			return New(Options{BaseURL: u, AllDates: true, NoProgramInfo: true, TruncatedAsWarning: true, HTTPOptions: connectors.HTTPOptions{Retries: retries, RatePerHost: -1}})
		},
		Good: archivetest.Read(t, "testdata/m101.json"), ContentType: "application/json", Window: m101Window, Want: 89,
	})
}
