package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond"
)

// TestTrickledBodyCutOff: activityd serves with the node's slow-client
// timeouts (issue 21 item 7), so a client sending its POST body a byte at
// a time is disconnected after arcsecond.BodyReadTimeout instead of
// holding the connection for as long as it likes (it was still open after
// 36 s).
func TestTrickledBodyCutOff(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the server's body timeout")
	}
	addr := serve(t, "--replay", "--db", ":memory:", "--log-level", "ERROR")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	closed := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, c) // a 408 answer, then the close
		closed <- err
	}()
	body := `{"id": "slow", "criteria": {"sources": ["eso"]}, "pad": "` + strings.Repeat(" ", 80) + `"}`
	if _, err := fmt.Fprintf(c, "POST /api/subscriptions HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, len(body)); err != nil {
		t.Fatal(err)
	}
	step := 300 * time.Millisecond
	for i := range len(body) {
		select {
		case err := <-closed:
			t.Logf("disconnected after %d of %d body bytes (%v)", i, len(body), err)
			return
		case <-time.After(step):
		}
		if _, err := c.Write([]byte{body[i]}); err != nil {
			if errors.Is(err, net.ErrClosed) {
				t.Fatal(err)
			}
			t.Logf("disconnected after %d of %d body bytes: %v", i, len(body), err)
			return
		}
	}
	t.Fatalf("the server read %d body bytes over %v (its body timeout is %v)", len(body), time.Duration(len(body))*step, arcsecond.BodyReadTimeout)
}
