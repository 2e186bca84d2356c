package connectortest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// kindCheck fails unless err classifies under one of the shared kinds.
func kindCheck(err error) []Failure {
	if connectors.KindOf(err) == nil {
		return []Failure{{"error-kind", fmt.Sprintf("error %q matches none of the shared kinds of package connectors", err)}}
	}
	return nil
}

// scenario is a failing upstream and the kinds its error may have.
type scenario struct {
	name string
	rt   http.RoundTripper
	want []error // nil: any shared kind (or no error at all)
}

func reply(status int, contentType, body string) http.RoundTripper {
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		if e := r.Context().Err(); e != nil {
			return nil, e
		}
		return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
			Header: http.Header{"Content-Type": {contentType}}, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: r}, nil
	})
}

func scenarios() []scenario {
	const page = "<!DOCTYPE html><html><head><title>Service maintenance</title></head><body>Back soon.</body></html>"
	return []scenario{
		{"401", reply(http.StatusUnauthorized, "text/plain", "authentication required"),
			[]error{connectors.ErrAuthRequired, connectors.ErrAuthExpired}},
		{"503", reply(http.StatusServiceUnavailable, "text/plain", "down for maintenance"),
			[]error{connectors.ErrUnavailable}},
		{"refused", FailTransport(syscall.ECONNREFUSED), []error{connectors.ErrUnavailable}},
		{"html", reply(http.StatusOK, "text/html", page),
			[]error{connectors.ErrSchemaDrift, connectors.ErrAuthRequired}},
		{"garbled", reply(http.StatusOK, "application/octet-stream", "\x00\x01garbled \xff reply{[<"), nil},
	}
}

// checkKinds runs each failing upstream and checks the error's kind.
func checkKinds(t *testing.T, h Harness) []Failure {
	var fs []Failure
	for _, sc := range scenarios() {
		src := h.NewOn(t, sc.rt)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := activities.Collect(src.Activities(ctx, h.Window))
		cancel()
		switch {
		case err == nil && sc.want == nil:
		case err == nil:
			fs = append(fs, Failure{"error-kind", fmt.Sprintf("%s upstream: the listing reported no error", sc.name)})
		default:
			fs = append(fs, nameCheck(src.Name(), err)...)
			k := connectors.KindOf(err)
			if k == nil {
				fs = append(fs, Failure{"error-kind", fmt.Sprintf("%s upstream: error %q matches none of the shared kinds", sc.name, err)})
			} else if sc.want != nil && !anyIs(err, sc.want) {
				fs = append(fs, Failure{"error-kind", fmt.Sprintf("%s upstream: error %q is %v, want one of %v", sc.name, err, k, sc.want)})
			}
		}
	}
	return fs
}

func anyIs(err error, kinds []error) bool {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}
