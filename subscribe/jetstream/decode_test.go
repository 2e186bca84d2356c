package jetstream

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

// FuzzDecode feeds arbitrary header values to the notification decoder: it
// returns a notification or an error, never panics, and what it accepts
// survives a round trip through the message encoding.
func FuzzDecode(f *testing.F) {
	f.Add("msg_1", "webhook", "s1", "https://x", "eso:1", "2", "0", "2026-11-20T00:00:00Z", "2026-11-20T00:00:00Z", "")
	f.Add("k", "digest", "s", "a@b", "", "-1", "x", "", "", "err\nline")
	f.Fuzz(func(t *testing.T, key, ch, sub, target, act, rev, att, next, created, lastErr string) {
		h := nats.Header{}
		for k, v := range map[string]string{hKey: key, hChannel: ch, hSub: sub, hTarget: target, hActivity: act,
			hRevision: rev, hAttempts: att, hNotBefore: next, hCreated: created, hLastError: lastErr} {
			h.Set(k, v)
		}
		n, err := decode(h, []byte("{}"), 3, subscribe.StatePending)
		if err != nil {
			return
		}
		if n.ID != 3 || n.Attempts < 0 {
			t.Fatalf("decoded %+v", n)
		}
		s := &Store{o: Options{Subject: "x"}}
		m := s.message("x", &n, "id")
		back, err := decode(m.Header, m.Data, 3, subscribe.StatePending)
		if err != nil {
			t.Fatalf("round trip of %+v: %v", n, err)
		}
		if back.Key != n.Key || back.Revision != n.Revision || back.Attempts != n.Attempts || !back.NextAt.Equal(n.NextAt) {
			t.Fatalf("round trip changed %+v into %+v", n, back)
		}
	})
}

func TestDecodeNamesTheBadHeader(t *testing.T) {
	h := nats.Header{}
	h.Set(hKey, "k")
	h.Set(hChannel, "webhook")
	h.Set(hSub, "s")
	h.Set(hRevision, "1")
	h.Set(hAttempts, "-2")
	h.Set(hNotBefore, time.Now().Format(time.RFC3339Nano))
	h.Set(hCreated, time.Now().Format(time.RFC3339Nano))
	if _, err := decode(h, nil, 1, subscribe.StatePending); err == nil || !contains(err.Error(), hAttempts) {
		t.Fatalf("error %v does not name %s", err, hAttempts)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
