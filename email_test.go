package arcsecond

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

// fakeSMTP is a minimal SMTP receiver for the test: it accepts every
// message and keeps it (no STARTTLS, no auth).
type fakeSMTP struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
	wg   sync.WaitGroup
}

func startFakeSMTP(t *testing.T) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.wg.Add(1)
			go func() {
				defer f.wg.Done()
				f.serve(c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); f.wg.Wait() })
	return f
}

func (f *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(c)
	say := func(s string) { c.Write([]byte(s + "\r\n")) }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-fake")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			f.mu.Lock()
			f.msgs = append(f.msgs, b.String())
			f.mu.Unlock()
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (f *fakeSMTP) messages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.msgs...)
}

// TestEmailDelivery: a subscription with an e-mail target gets one message
// per match through the SMTP server of NodeOptions.SMTP.
func TestEmailDelivery(t *testing.T) {
	smtp := startFakeSMTP(t)
	ts := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 20000, Wait: 1500 * time.Millisecond},
		SMTP: subscribe.MailerOptions{Addr: smtp.ln.Addr().String(), From: "activityd@example.org"}})
	code, b := ts.do(t, "POST", "/api/subscriptions", `{"id": "hst", "criteria": {"sources": ["hst-mast"]},
		"delivery": {"email": {"to": "astro@example.org"}}}`)
	if code != 201 {
		t.Fatalf("POST: %d %s", code, b)
	}
	waitFor(t, "4 e-mails", 30*time.Second, func() bool { return len(smtp.messages()) >= 4 })
	for _, m := range smtp.messages() {
		if !strings.Contains(m, "astro@example.org") || !strings.Contains(m, "HST") {
			t.Errorf("message lacks the recipient or the facility:\n%.600s", m)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.messages()); n != 4 {
		t.Errorf("%d messages, want 4 (one per HST activity)", n)
	}
}
