package archivetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// recorder stands in for the fuzz target's t: it keeps the first failure
// and stops the check there, as Fatal would.
type recorder struct {
	testing.TB
	failed string
}

type stop struct{}

func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...); panic(stop{}) }
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	panic(stop{})
}

func check(t *testing.T, res *connectors.Reply, err error) (failed string) {
	r := &recorder{TB: t}
	defer func() {
		if v := recover(); v != nil && v != (stop{}) {
			panic(v)
		}
		failed = r.failed
	}()
	Check(r, res, err)
	return ""
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  *connectors.Reply
		err  error
		fail bool
	}{
		{"error", nil, errors.New("bad reply"), false},
		{"empty", &connectors.Reply{}, nil, false},
		{"named skip", &connectors.Reply{Records: 2, Skipped: map[string]int{"calibration": 2}}, nil, false},
		{"no result", nil, nil, true},
		{"uncounted record", &connectors.Reply{Records: 3, Skipped: map[string]int{"calibration": 2}}, nil, true},
		{"unnamed skip", &connectors.Reply{Records: 1, Skipped: map[string]int{"": 1}}, nil, true},
		{"invalid activity", &connectors.Reply{Records: 1, Activities: []activities.Activity{{}}}, nil, true},
	} {
		if got := check(t, tc.res, tc.err); (got != "") != tc.fail {
			t.Errorf("%s: failure %q, want failing %v", tc.name, got, tc.fail)
		}
	}
}
