package hst

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/faulttest"
)

func TestFaultsMAST(t *testing.T) {
	faulttest.Run(t, faulttest.Harness{
		Open: func(u string, retries int) (activities.Source, error) {
			return NewMAST(Options{BaseURL: u, HTTPOptions: connectors.HTTPOptions{Retries: retries, RatePerHost: -1}})
		},
		Good: archivetest.Read(t, "testdata/caom.json"), ContentType: "application/json", Window: caomWindow, Want: 4,
	})
}

func TestFaultsTimeline(t *testing.T) {
	faulttest.Run(t, faulttest.Harness{
		Open: func(u string, retries int) (activities.Source, error) {
			return NewTimeline(Options{BaseURL: u, HTTPOptions: connectors.HTTPOptions{Retries: retries, RatePerHost: -1}})
		},
		Good: archivetest.Read(t, "testdata/timeline_07_28_25"), ContentType: "text/plain", Window: timelineWindow, Want: 3,
	})
}
