package subscribe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// deliverOnce runs a dispatcher against target until its one notification
// is delivered or dead (at most attempts tries) and returns that row and
// everything the dispatcher logged.
func deliverOnce(t *testing.T, target string, secrets []string, attempts int) (Notification, string) {
	t.Helper()
	m := NewMatcher()
	if err := m.Add(webhookSub("w", target, secrets, Criteria{Instruments: []string{"MUSE"}})); err != nil {
		t.Fatal(err)
	}
	store := openTestStore(t)
	var mu sync.Mutex
	var logs strings.Builder
	d, err := NewDispatcher(DispatcherOptions{Store: store, Index: m, Webhooks: NewWebhookSender(WebhookOptions{AllowPrivate: true}),
		BaseBackoff: 5 * time.Millisecond, MaxBackoff: 10 * time.Millisecond, MaxAttempts: attempts, Poll: 10 * time.Millisecond,
		Logf: func(f string, a ...any) { mu.Lock(); fmt.Fprintf(&logs, f+"\n", a...); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- d.Run(ctx) }()
	a := testActivity(7)
	if _, err := d.Handle(ctx, &a, 0); err != nil {
		t.Fatal(err)
	}
	var row Notification
	waitFor(t, 10*time.Second, "a delivered or dead notification", func() bool {
		for _, st := range []State{StateDelivered, StateDead} {
			if ns, _ := store.List(context.Background(), st, 10); len(ns) == 1 {
				row = ns[0]
				return true
			}
		}
		return false
	})
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	return row, logs.String()
}

// Issue 21 item 3: a receiver answering a redirect got a bodiless GET and
// the notification was marked delivered. A 3xx is now a failed attempt,
// and the redirect target is never contacted.
func TestWebhookRedirectIsNotDelivered(t *testing.T) {
	for _, code := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			var reached atomic.Int32
			elsewhere := newHTTPServer(t, func(w http.ResponseWriter, _ *http.Request) {
				reached.Add(1)
				w.WriteHeader(http.StatusNoContent)
			})
			redirector := newHTTPServer(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, elsewhere+"/hook", code)
			})
			row, _ := deliverOnce(t, redirector, []string{NewSecret()}, 2)
			if row.State != StateDead || !strings.Contains(row.LastError, fmt.Sprintf("HTTP %d", code)) {
				t.Errorf("after a %d: state %s, last_error %q; want dead with HTTP %d", code, row.State, row.LastError, code)
			}
			if n := reached.Load(); n != 0 {
				t.Errorf("the redirect target was requested %d times", n)
			}
		})
	}
}

// Issue 21 item 4: the receiver's body must not reach last_error.
func TestLastErrorHasNoReceiverBody(t *testing.T) {
	const leak = "internal-db-password=hunter2"
	srv := newHTTPServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, leak)
	})
	row, logs := deliverOnce(t, srv, []string{NewSecret()}, 1)
	if row.State != StateDead || !strings.Contains(row.LastError, "HTTP 403") {
		t.Errorf("state %s, last_error %q; want dead with HTTP 403", row.State, row.LastError)
	}
	if strings.Contains(row.LastError, "hunter2") || strings.Contains(logs, "hunter2") {
		t.Errorf("the receiver's body leaked: last_error %q, logs %q", row.LastError, logs)
	}
}

// Issue 21 item 5: a credential in a webhook URL must not appear in
// last_error, in logs or in the error chain (net/http's *url.Error quotes
// the URL it was given).
func TestWebhookURLSecretsRedacted(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() // nothing listens there after Close
	l.Close()
	row, logs := deliverOnce(t, closed+"/hook?token=s3cr3t-t0ken&x=1", []string{NewSecret()}, 1)
	if row.State != StateDead || row.LastError == "" {
		t.Fatalf("state %s, last_error %q; want dead with an error", row.State, row.LastError)
	}
	for what, s := range map[string]string{"last_error": row.LastError, "logs": logs} {
		if strings.Contains(s, "s3cr3t") || strings.Contains(s, "x=1") {
			t.Errorf("%s carries the query string: %q", what, s)
		}
	}
	// Send's own error, including every error in its chain.
	w := NewWebhookSender(WebhookOptions{AllowPrivate: true})
	err = w.Send(context.Background(), "http://user:pa55word@"+l.Addr().String()+"/h?sig=s3cr3t", "msg_x", []byte(`{}`), nil, time.Now())
	if err == nil {
		t.Fatal("posting to a closed port succeeded")
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if s := fmt.Sprintf("%v %+v", e, e); strings.Contains(s, "s3cr3t") || strings.Contains(s, "pa55word") || strings.Contains(s, "user") {
			t.Errorf("error chain link %T leaks the URL's secrets: %s", e, s)
		}
	}
}

// A 2xx is still a delivery and 3xx/4xx/5xx are described by a fixed
// reason only.
func TestDeliveryErrorReasons(t *testing.T) {
	for _, c := range []struct {
		status int
		retry  bool
	}{{204, false}, {302, true}, {308, false}, {400, false}, {404, false}, {408, true}, {429, true}, {500, true}, {503, true}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Location", "http://example.org/")
			w.WriteHeader(c.status)
			fmt.Fprint(w, "receiver-private-text")
		}))
		err := NewWebhookSender(WebhookOptions{AllowPrivate: true}).Send(context.Background(), srv.URL, "msg_x", []byte(`{}`), nil, time.Now())
		srv.Close()
		if c.status == 204 {
			if err != nil {
				t.Errorf("204: %v", err)
			}
			continue
		}
		var de *DeliveryError
		if !errors.As(err, &de) || de.Status != c.status || de.Retryable != c.retry {
			t.Errorf("%d: %#v, want status %d retryable %v", c.status, err, c.status, c.retry)
			continue
		}
		if strings.Contains(err.Error(), "receiver-private-text") || !strings.HasPrefix(err.Error(), fmt.Sprintf("HTTP %d: ", c.status)) {
			t.Errorf("%d: message %q", c.status, err)
		}
	}
}
