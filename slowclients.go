package arcsecond

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"time"
)

// Slow clients. A client that sends its request slowly, or reads the
// answer slowly, holds a connection, a goroutine and buffers; the node
// bounds both directions:
//
//   - the body of a state-changing request must arrive within
//     BodyReadTimeout of the handler starting (408 otherwise, and the
//     connection is closed), whatever the http.Server's own timeouts;
//   - a live stream (WebSocket or server-sent events) whose client does
//     not read is disconnected: when its pending activities (NodeOptions.LiveBuffer) overflow,
//     or when one write has not completed within LiveWriteTimeout;
//   - [Node.Server] returns an http.Server with read, header, write and
//     idle timeouts (the streams extend their own write deadline), which
//     an embedder serving Node.Handler should use or copy.
const (
	// BodyReadTimeout bounds the reading of a request body.
	BodyReadTimeout = 10 * time.Second
	// LiveWriteTimeout bounds one write to a live stream's client.
	LiveWriteTimeout = 10 * time.Second

	// The timeouts of [Node.Server].
	ServerReadHeaderTimeout = 10 * time.Second
	ServerReadTimeout       = 60 * time.Second
	ServerWriteTimeout      = 2 * time.Minute
	ServerIdleTimeout       = 2 * time.Minute
	ServerMaxHeaderBytes    = 64 << 10
)

// timeouts are the node's slow-client timeouts; tests shorten them.
type timeouts struct {
	body, liveWrite time.Duration
}

func (t timeouts) bodyRead() time.Duration {
	if t.body > 0 {
		return t.body
	}
	return BodyReadTimeout
}

func (t timeouts) write() time.Duration {
	if t.liveWrite > 0 {
		return t.liveWrite
	}
	return LiveWriteTimeout
}

// Server returns an http.Server serving the node's Handler on addr with
// the recommended timeouts (the Server* constants) and errors logged to
// the node's logger at warning level. Set its other fields before serving.
func (n *Node) Server(addr string) *http.Server {
	return &http.Server{
		Addr: addr, Handler: n.Handler(),
		ReadHeaderTimeout: ServerReadHeaderTimeout, ReadTimeout: ServerReadTimeout,
		WriteTimeout: ServerWriteTimeout, IdleTimeout: ServerIdleTimeout,
		MaxHeaderBytes: ServerMaxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(n.log.Handler(), slog.LevelWarn),
	}
}

// bodyDeadline gives the body of every state-changing request a read
// deadline.
func (n *Node) bodyDeadline(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if changesState(r.Method) && r.ContentLength != 0 {
			// Not every ResponseWriter can (httptest's cannot): best effort.
			http.NewResponseController(w).SetReadDeadline(time.Now().Add(n.timeouts.bodyRead()))
		}
		h.ServeHTTP(w, r)
	})
}

// streaming lifts the server's read and write deadlines from a live
// stream's connection: its writes get their own (see writeDeadline), and
// it reads nothing but the client's close (and WebSocket control frames).
func streaming(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	rc.SetWriteDeadline(time.Time{})
}

// timedOut reports whether err is a deadline's.
func timedOut(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// DefaultLiveBuffer is NodeOptions.LiveBuffer's default.
const DefaultLiveBuffer = 64

// liveBuffer is how many activities a live stream holds for a client that
// has not taken them yet.
func (n *Node) liveBuffer() int {
	if n.opts.LiveBuffer > 0 {
		return n.opts.LiveBuffer
	}
	return DefaultLiveBuffer
}
