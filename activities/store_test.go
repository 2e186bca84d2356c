package activities_test

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/activities/storetest"
)

// act is storetest.Act.
func act(i int, rev int64) activities.Activity { return storetest.Act(i, rev) }

func TestMemoryStoreConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) activities.Store { return activities.NewMemoryStore() })
}
