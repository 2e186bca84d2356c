package arcsecond

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// maxBody caps request bodies.
const maxBody = 1 << 20

func (n *Node) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, n.metrics.instrument(pattern, h)) }
	handle("GET /api/activities", n.listActivities)
	handle("GET /api/activities/{id}", n.getActivity)
	handle("POST /api/activities", n.publishActivities)
	handle("GET /api/openapi.json", serveOpenAPI)
	handle("GET /api/sources", n.listSources)
	handle("GET /api/subscriptions", n.listSubscriptions)
	handle("POST /api/subscriptions", n.createSubscription)
	handle("GET /api/subscriptions/{id}", n.getSubscription)
	handle("DELETE /api/subscriptions/{id}", n.deleteSubscription)
	handle("PUT /api/subscriptions/{id}", n.updateSubscription)
	handle("POST /api/subscriptions/{id}/pause", n.pauseSubscription)
	handle("POST /api/subscriptions/{id}/resume", n.resumeSubscription)
	handle("POST /api/subscriptions/{id}/test", n.testSubscription)
	handle("GET /api/subscriptions/{id}/matches", n.subscriptionMatches)
	handle("GET /api/unsubscribe", n.unsubscribe)
	handle("POST /api/unsubscribe", n.unsubscribe)
	n.astroRoutes(handle)
	n.alertRoutes(mux, handle)
	handle("GET /api/version", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"version": Version})
	})
	mux.HandleFunc("GET /activities/live", n.websocket) // long-lived: counted apart
	mux.HandleFunc("GET /activities/events", n.sse)
	handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	handle("GET /readyz", n.ready)
	mux.Handle("GET /metrics", n.metrics.handler())
	dash := dashboard()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/"):
			writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no API endpoint %s %s", r.Method, r.URL.Path)})
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, apiError{Error: fmt.Sprintf("method %s not allowed on %s", r.Method, r.URL.Path)})
		default:
			dash.ServeHTTP(w, r)
		}
	})
	guarded, _ := csrfGuard(n.opts.AllowedOrigins, n.bodyDeadline(n.guard(mux))) // checked by NewNode
	return recoverer(n.log, guarded)
}

func (n *Node) ready(w http.ResponseWriter, r *http.Request) {
	if n.stopping.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "stopping"})
		return
	}
	if _, err := n.store.LastSeq(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "store unavailable"})
		return
	}
	writeJSON(w, 200, map[string]string{"status": "ready"})
}

// recoverer answers 500 to a panicking handler instead of dropping the
// connection, and logs the panic.
func recoverer(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "path", r.URL.Path, "panic", v)
				writeJSON(w, http.StatusInternalServerError, apiError{Error: "internal error"})
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// apiError is the body of every 4xx and 5xx answer.
type apiError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func badRequest(w http.ResponseWriter, field, format string, a ...any) {
	writeJSON(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf(format, a...), Field: field})
}
