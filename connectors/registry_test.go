package connectors_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

type nopSource struct{ cfg connectors.Config }

func (nopSource) Name() string { return "test-nop" }
func (nopSource) Activities(context.Context, activities.Window) iter.Seq2[activities.Activity, error] {
	return func(func(activities.Activity, error) bool) {}
}

var registerOnce sync.Once

func registerNop() {
	registerOnce.Do(func() {
		connectors.Register("test-nop", connectors.Driver{
			Open:     func(c connectors.Config) (activities.Source, error) { return nopSource{c}, nil },
			Settings: map[string]string{"instrument": "an instrument", "class": "a class"},
			Env:      map[string]string{"ARCSECOND_TEST_NOP_TOKEN": "a token"},
			Parsers: []connectors.Parser{
				{Name: "test-nop-generic", Generic: true, Parse: func([]byte) (*connectors.Reply, error) { return &connectors.Reply{}, nil },
					Recognize: func(p string, _ []byte) bool { return strings.HasSuffix(p, ".nop") }},
				{Name: "test-nop-specific", Parse: func([]byte) (*connectors.Reply, error) { return &connectors.Reply{Records: 1}, nil },
					Recognize: func(p string, _ []byte) bool { return strings.HasSuffix(p, "special.nop") }},
			},
		})
	})
}

func TestOpenRejectsUnknownSettings(t *testing.T) {
	registerNop()
	if _, err := connectors.Open("test-nop", connectors.Config{Settings: map[string]string{"instrument": "MUSE"}}); err != nil {
		t.Fatalf("known setting refused: %v", err)
	}
	_, err := connectors.Open("test-nop", connectors.Config{Settings: map[string]string{"instrumnet": "MUSE"}})
	if err == nil || !strings.Contains(err.Error(), `"instrumnet"`) || !strings.Contains(err.Error(), "class, instrument") {
		t.Fatalf("a typo must be refused, naming the key and the known ones: %v", err)
	}
	if !errors.Is(err, connectors.ErrInvalid) {
		t.Errorf("unknown setting: %v does not match ErrInvalid", err)
	}
	if _, err := connectors.Open("no-such", connectors.Config{}); err == nil {
		t.Fatal("unknown connector opened")
	}
}

func TestDriverDocumentsEnvAndRecognizesSpecificFirst(t *testing.T) {
	registerNop()
	if connectors.Env("test-nop")["ARCSECOND_TEST_NOP_TOKEN"] == "" {
		t.Error("Env lost the documented variable")
	}
	if got := connectors.Recognize("a/special.nop", nil); got != "test-nop-specific" {
		t.Errorf("Recognize = %q, want the specific format before the generic one", got)
	}
	if got := connectors.Recognize("a/other.nop", nil); got != "test-nop-generic" {
		t.Errorf("Recognize = %q, want the generic format", got)
	}
	if _, err := connectors.ParseReply("no-such-format", nil); err == nil {
		t.Error("unknown format parsed")
	}
}

func TestRegisterPanics(t *testing.T) {
	registerNop()
	for name, d := range map[string]connectors.Driver{
		"test-nop": {Open: func(connectors.Config) (activities.Source, error) { return nil, nil }},
		"":         {Open: func(connectors.Config) (activities.Source, error) { return nil, nil }},
		"test-nil": {},
		"test-dup-parser": {Open: func(connectors.Config) (activities.Source, error) { return nil, nil },
			Parsers: []connectors.Parser{{Name: "test-nop-generic", Parse: func([]byte) (*connectors.Reply, error) { return nil, nil }}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) did not panic", name)
				}
			}()
			connectors.Register(name, d)
		}()
	}
}

// TestClassify: each cause classifies under the kind a caller acts on.
func TestClassify(t *testing.T) {
	var syn *json.SyntaxError
	synErr := json.Unmarshal([]byte("{"), &struct{}{})
	errors.As(synErr, &syn)
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"401", &httpx.StatusError{StatusCode: 401}, connectors.ErrAuthRequired},
		{"403", &httpx.StatusError{StatusCode: 403}, connectors.ErrAuthRequired},
		{"429", &httpx.StatusError{StatusCode: 429}, connectors.ErrUnavailable},
		{"503", fmt.Errorf("listing: %w", &httpx.StatusError{StatusCode: 503}), connectors.ErrUnavailable},
		{"400", &httpx.StatusError{StatusCode: 400}, connectors.ErrRejected},
		{"refused", &url.Error{Op: "Get", URL: "http://x", Err: syscall.ECONNREFUSED}, connectors.ErrUnavailable},
		{"dns", &net.DNSError{Err: "no such host", Name: "x"}, connectors.ErrUnavailable},
		{"request", &httpx.RequestError{Err: errors.New("reset")}, connectors.ErrUnavailable},
		{"cut body", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), connectors.ErrUnavailable},
		{"too large", httpx.ErrBodyTooLarge, connectors.ErrRejected},
		{"json", synErr, connectors.ErrSchemaDrift},
		{"schema", &connectors.SchemaError{Source: "x", Column: "c"}, connectors.ErrSchemaDrift},
		{"truncated", &connectors.TruncatedError{Source: "x"}, connectors.ErrTruncated},
		{"html", &connectors.HTMLError{Source: "x"}, connectors.ErrSchemaDrift},
		{"login page", &connectors.HTMLError{Source: "x", Login: true}, connectors.ErrAuthRequired},
		{"auth no token", &connectors.AuthError{Source: "x"}, connectors.ErrAuthRequired},
		{"auth refused", &connectors.AuthError{Source: "x", HadToken: true}, connectors.ErrAuthExpired},
	} {
		got := connectors.Classify(tc.err)
		if k := connectors.KindOf(got); k != tc.want {
			t.Errorf("%s: %v classified as %v, want %v", tc.name, tc.err, k, tc.want)
		}
		if !errors.Is(got, tc.err) && got != tc.err {
			t.Errorf("%s: classification lost the cause", tc.name)
		}
	}
	if err := connectors.Classify(context.Canceled); connectors.KindOf(err) != nil {
		t.Errorf("a cancellation was classified as %v", connectors.KindOf(err))
	}
	if err := connectors.Classify(errors.New("mystery")); connectors.KindOf(err) != nil {
		t.Errorf("an error of unknown cause was given the kind %v", connectors.KindOf(err))
	}
	if connectors.Classify(nil) != nil || connectors.WithKind(nil, connectors.ErrInvalid) != nil {
		t.Error("nil not kept nil")
	}
}

func TestStatsPerListing(t *testing.T) {
	var a, b connectors.Stats
	ctxA, ctxB := connectors.WithStats(context.Background(), &a), connectors.WithStats(context.Background(), &b)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() { connectors.StatsFrom(ctxA).Skip("calibration", 1); connectors.StatsFrom(ctxA).AddRecords(1) })
		wg.Go(func() { connectors.StatsFrom(ctxB).Warn("unknown instrument", 2) })
	}
	wg.Wait()
	if a.Counts()["skipped: calibration"] != 100 || a.Records() != 100 || len(a.Counts()) != 1 {
		t.Errorf("a: %v", &a)
	}
	if b.Counts()["warning: unknown instrument"] != 200 || len(b.Counts()) != 1 {
		t.Errorf("b: %v", &b)
	}
	var none *connectors.Stats = connectors.StatsFrom(context.Background())
	none.Skip("x", 1) // a nil Stats ignores counts
	if none.Records() != 0 || len(none.Counts()) != 0 {
		t.Error("nil Stats counted")
	}
	if got := a.String(); got != "skipped: calibration=100" {
		t.Errorf("String = %q", got)
	}
}

func TestCredential(t *testing.T) {
	t.Setenv("ARCSECOND_TEST_SECRET", "from-env")
	if connectors.Credential("given", "ARCSECOND_TEST_SECRET") != "given" {
		t.Error("an option must win over the environment")
	}
	if connectors.Credential("", "ARCSECOND_TEST_SECRET") != "from-env" {
		t.Error("environment not read")
	}
	if connectors.Credential("", "") != "" {
		t.Error("no variable, no value")
	}
}

// countingSource counts one record and one skip per listing into the
// listing's Stats.
type countingSource struct{}

func (countingSource) Name() string { return "counting" }
func (countingSource) Activities(ctx context.Context, _ activities.Window) iter.Seq2[activities.Activity, error] {
	return func(func(activities.Activity, error) bool) {
		st := connectors.StatsFrom(ctx)
		st.AddRecords(1)
		st.Skip("calibration", 1)
	}
}

func TestCollectReturnsTheListingsStats(t *testing.T) {
	var src countingSource
	for range 2 {
		acts, st, err := connectors.Collect(context.Background(), src, activities.Window{})
		if err != nil || len(acts) != 0 || st.Records() != 1 || st.Counts()["skipped: calibration"] != 1 {
			t.Fatalf("%v %v %v", acts, st, err)
		}
	}
}

// TestEnvDocumented: every variable a registered connector reads is
// documented by its Driver (the doctor names them).
func TestEnvDocumented(t *testing.T) {
	registerNop()
	if got := connectors.Env("test-nop"); len(got) != 1 || got["ARCSECOND_TEST_NOP_TOKEN"] == "" {
		t.Errorf("Env = %v", got)
	}
	if got := connectors.Env("no-such"); len(got) != 0 {
		t.Errorf("Env of an unknown connector = %v", got)
	}
}
