package schedfile

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/vo/tap"
)

func TestReadTable(t *testing.T) {
	html := []byte(`<html><body><table><tr><th>A</th><th> B  c </th></tr><tr><td>1</td><td>x  y</td></tr></table></body></html>`)
	csv := []byte(",A,B c\n0,1,x y\n")
	for name, b := range map[string][]byte{"html": html, "csv": csv} {
		tb, err := ReadTable("t", b)
		if err != nil {
			t.Fatal(name, err)
		}
		ix, err := tb.Need("t", []string{"A", "B c"})
		if err != nil || len(tb.Rows) != 1 || tb.Rows[0][ix["A"]] != "1" || tb.Rows[0][ix["B c"]] != "x y" {
			t.Errorf("%s: %v %v %v", name, ix, tb.Rows, err)
		}
		var se *connectors.SchemaError
		if _, err := tb.Need("t", []string{"D"}); !errors.As(err, &se) || se.Column != "D" {
			t.Errorf("%s: missing column: %v", name, err)
		}
	}
	var he *connectors.HTMLError
	if _, err := ReadTable("t", []byte("<html><head><title>Gone</title></head><body>no table</body></html>")); !errors.As(err, &he) || he.Title != "Gone" {
		t.Errorf("no table: %v", err)
	}
}

func TestEmit(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	res := &connectors.Reply{Records: 5, Skipped: map[string]int{"x": 2}, Warnings: map[string]int{"y": 1}}
	for i := range 3 {
		res.Activities = append(res.Activities, activities.Activity{ID: "s:" + string(rune('a'+i)), Start: t0.Add(time.Duration(i) * 24 * time.Hour)})
	}
	var st connectors.Stats
	var got []string
	ok := Emit(context.Background(), "s", activities.Window{Start: t0.Add(time.Hour), End: t0.Add(72 * time.Hour)}, res, &st,
		func(a activities.Activity, err error) bool { got = append(got, a.ID); return err == nil })
	if !ok || len(got) != 2 || got[0] != "s:b" || st.Counts()["skipped: x"] != 2 || st.Counts()["warning: y"] != 1 || st.Records() != 5 {
		t.Fatalf("%v %v %v %d", ok, got, st.Counts(), st.Records())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var last error
	ok = Emit(ctx, "s", activities.Window{}, res, &st, func(a activities.Activity, err error) bool { last = err; return false })
	var se *activities.SourceError
	if ok || !errors.As(last, &se) || !errors.Is(last, context.Canceled) {
		t.Fatalf("cancelled: %v %v", ok, last)
	}
}

func TestObservationMJD(t *testing.T) {
	for _, c := range []struct {
		mjd  float64
		want time.Time
		ok   bool
	}{
		{60000.5, time.Date(2023, 2, 25, 12, 0, 0, 0, time.UTC), true},
		{0, time.Date(1858, 11, 17, 0, 0, 0, 0, time.UTC), true},
		{2460000.5, time.Time{}, false}, // a JD where an MJD belongs
		{-30000, time.Time{}, false},
	} {
		got, ok := ObservationMJD(c.mjd)
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("ObservationMJD(%v) = %v, %v; want %v, %v", c.mjd, got, ok, c.want, c.ok)
		}
	}
}

func TestTAPError(t *testing.T) {
	for _, c := range []struct {
		err  error
		want error
	}{
		{&tap.ServiceError{Op: "sync query", StatusCode: 401}, connectors.ErrAuthRequired},
		{&tap.ServiceError{Op: "sync query", StatusCode: 503}, connectors.ErrUnavailable},
		{&tap.ServiceError{Op: "sync query", StatusCode: 400}, connectors.ErrRejected},
		{fmt.Errorf("cxc.observation: %w", &tap.ServiceError{Op: "sync query", Status: "ERROR", Message: "bad ADQL"}), connectors.ErrRejected},
		{&connectors.TruncatedError{Source: "s"}, connectors.ErrTruncated},
	} {
		if got := TAPError(c.err); !errors.Is(got, c.want) || connectors.KindOf(got) != c.want {
			t.Errorf("TAPError(%v): kind %v, want %v", c.err, connectors.KindOf(got), c.want)
		}
	}
	if TAPError(nil) != nil {
		t.Error("TAPError(nil) != nil")
	}
}
