package httpx

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

type ctxKey int

const attemptKey ctxKey = iota

func withAttempt(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, attemptKey, n)
}

func attemptOf(ctx context.Context) int {
	n, _ := ctx.Value(attemptKey).(int)
	return n
}

// transport is the innermost shared layer: User-Agent, credentials, per-host
// rate limit and request logging, around the base RoundTripper. It does not
// retry; retries live above it so that they also cover reading the body.
type transport struct {
	base    http.RoundTripper
	ua      string
	auth    Auth
	limiter *RateLimiter
	log     *slog.Logger
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", t.ua)
	}
	if t.auth != nil && sameOriginAsFirst(req) {
		if err := t.auth.Apply(r); err != nil {
			closeBody(req)
			return nil, Permanent(fmt.Errorf("applying credentials: %w", err))
		}
	}
	if err := t.limiter.wait(r.Context(), r.URL.Host); err != nil {
		closeBody(req)
		return nil, err
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	if t.log.Enabled(r.Context(), slog.LevelDebug) {
		attrs := []any{
			"method", r.Method,
			"url", redactURL(r.URL),
			"attempt", attemptOf(r.Context()),
			"duration", time.Since(start).Round(time.Millisecond),
		}
		if err != nil {
			attrs = append(attrs, "error", scrub(err.Error(), secretsOf(r, t.auth)))
			t.log.Debug("httpx: request failed", attrs...)
		} else {
			attrs = append(attrs, "status", resp.StatusCode, "content_length", resp.ContentLength)
			t.log.Debug("httpx: response", attrs...)
		}
	}
	return resp, err
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// sameOriginAsFirst reports whether req goes to the same scheme and host as
// the first request of its redirect chain, so that credentials never follow a
// redirect to another host or from https down to http.
func sameOriginAsFirst(req *http.Request) bool {
	first := req
	for i := 0; i < 64 && first.Response != nil && first.Response.Request != nil; i++ {
		first = first.Response.Request
	}
	if first == req {
		return true
	}
	return strings.EqualFold(first.URL.Host, req.URL.Host) &&
		(first.URL.Scheme == req.URL.Scheme || req.URL.Scheme == "https")
}

// NewRateLimiter returns a limiter allowing perSec requests per second to
// each host (negative: unlimited), with the given burst (at least 1), and
// per-host overrides as in Options.HostRates.
func NewRateLimiter(perSec float64, burst int, hostRates map[string]float64) *RateLimiter {
	return newHostLimiter(perSec, max(burst, 1), hostRates)
}

// RateLimiter holds one token bucket per host (host:port as in the URL,
// case-insensitive). Several Clients can share one (Options.RateLimiter),
// for connectors that reach the same host through different clients.
type RateLimiter struct {
	mu      sync.Mutex
	perSec  rate.Limit
	burst   int
	perHost map[string]float64
	m       map[string]*rate.Limiter
}

func newHostLimiter(perSec float64, burst int, perHost map[string]float64) *RateLimiter {
	h := &RateLimiter{perSec: rate.Limit(perSec), burst: burst, m: map[string]*rate.Limiter{}, perHost: map[string]float64{}}
	if perSec < 0 {
		h.perSec = rate.Inf
	}
	for k, v := range perHost {
		h.perHost[strings.ToLower(k)] = v
	}
	return h
}

func (h *RateLimiter) get(host string) *rate.Limiter {
	host = strings.ToLower(host)
	h.mu.Lock()
	defer h.mu.Unlock()
	l, ok := h.m[host]
	if !ok {
		lim := h.perSec
		if v, ok := h.perHost[host]; ok {
			lim = rate.Limit(v)
			if v < 0 {
				lim = rate.Inf
			}
		} else if i := strings.LastIndexByte(host, ':'); i > 0 {
			if v, ok := h.perHost[host[:i]]; ok {
				lim = rate.Limit(v)
				if v < 0 {
					lim = rate.Inf
				}
			}
		}
		l = rate.NewLimiter(lim, h.burst)
		h.m[host] = l
	}
	return l
}

func (h *RateLimiter) wait(ctx context.Context, host string) error {
	if h == nil {
		return nil
	}
	l := h.get(host)
	if l.Limit() == rate.Inf {
		return nil
	}
	if err := l.Wait(ctx); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("waiting for the rate limit of %s: %w", host, cerr)
		}
		// The limiter refuses to wait past the context deadline.
		return fmt.Errorf("waiting for the rate limit of %s: %w (%v)", host, context.DeadlineExceeded, err)
	}
	return nil
}
