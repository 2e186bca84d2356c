package subscribe

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// receiver is a real HTTP webhook receiver: it verifies Standard Webhooks
// signatures, counts deliveries per idempotency key (so duplicates show)
// and can be told to fail.
type receiver struct {
	t       testing.TB
	srv     *httptest.Server
	secrets []string
	mu      sync.Mutex
	got     map[string]int       // webhook-id → deliveries
	at      map[string]time.Time // webhook-id → first delivery
	bad     int                  // signature failures
	fail    func(n int) (status int, header http.Header)
	calls   int
	onFirst func(key string)
}

func newReceiver(t testing.TB, secrets ...string) *receiver {
	r := &receiver{t: t, secrets: secrets, got: map[string]int{}, at: map[string]time.Time{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	now := time.Now()
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.calls++
	n := r.calls
	fail := r.fail
	r.mu.Unlock()
	if fail != nil {
		if status, h := fail(n); status != 0 {
			for k, v := range h {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			return
		}
	}
	if err := Verify(req.Header, body, now, 5*time.Minute, r.secrets...); err != nil {
		r.mu.Lock()
		r.bad++
		r.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil || p.Data.Activity.ID == "" || len(p.Data.Reasons) == 0 {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	key := req.Header.Get(HeaderID)
	r.mu.Lock()
	r.got[key]++
	first := r.got[key] == 1
	if first {
		r.at[key] = now
	}
	cb := r.onFirst
	r.mu.Unlock()
	if first && cb != nil {
		cb(key)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) counts() (unique, total, bad int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.got {
		unique++
		total += n
	}
	return unique, total, r.bad
}

func newHTTPServer(t testing.TB, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
