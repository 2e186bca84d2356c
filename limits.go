package arcsecond

import (
	"fmt"
	"math"
	"time"
)

// The activity stores order and select activities by time.Time.UnixNano,
// which represents the instants from minStorable to maxStorable
// (1677-09-21 to 2262-04-11); a query bound outside that range would
// overflow into a wrong answer, so the API refuses it.
var (
	minStorable = time.Unix(0, math.MinInt64+1).UTC()
	maxStorable = time.Unix(0, math.MaxInt64).UTC()
)

// checkStorable refuses a time bound the stores cannot represent.
func checkStorable(field string, t time.Time) error {
	if t.Before(minStorable) || t.After(maxStorable) {
		return fmt.Errorf("%s %s is outside the range the activity stores represent, %s to %s",
			field, t.Format(time.RFC3339), minStorable.Format(time.RFC3339), maxStorable.Format(time.RFC3339))
	}
	return nil
}
