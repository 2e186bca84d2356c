package alerts_test

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/alerts"
	"github.com/arcsecond-go/arcsecond/alerts/alertstest"
)

func TestMemoryStoreConformance(t *testing.T) {
	alertstest.Run(t, func(*testing.T) alerts.Store {
		var s alerts.MemoryStore // the zero value is usable
		return &s
	})
}
