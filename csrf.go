package arcsecond

import (
	"fmt"
	"mime"
	"net/http"
)

// Cross-site request forgery: a web page the user visits can make the
// browser send "simple" requests (a form's POST, a no-cors fetch with a
// text body) to a node on the user's machine or network. The node refuses
// them in two ways, for every state-changing request (any method but GET,
// HEAD and OPTIONS):
//
//   - a request carrying a body must say Content-Type: application/json
//     (JSON Lines, application/x-ndjson or application/jsonl, for POST
//     /api/activities)
//     (415 otherwise), which a browser sends cross-site only after a CORS
//     preflight the node never approves;
//   - a request a browser marks as cross-origin (Sec-Fetch-Site, or an
//     Origin whose host is not the request's Host) is refused with 403
//     unless its origin is one of NodeOptions.AllowedOrigins.
//
// Clients that are not browsers send neither header and are not affected.
// The one-click unsubscribe link (/api/unsubscribe), which carries its own
// signature and which mail clients POST as a form (RFC 8058), is exempt
// from the content-type rule.

// csrfGuard wraps h with the two checks above.
func csrfGuard(allowed []string, h http.Handler) (http.Handler, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range allowed {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("arcsecond: AllowedOrigins: %w", err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusForbidden, apiError{
			Error: fmt.Sprintf("cross-origin %s refused (origin %q is not this server's nor an allowed origin)", r.Method, r.Header.Get("Origin")),
			Field: "Origin"})
	}))
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if changesState(r.Method) && r.URL.Path != "/api/unsubscribe" && r.ContentLength != 0 {
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			// JSON Lines publishing (POST /api/activities) is the other body
			// type; neither is CORS-safelisted, so a cross-site form cannot
			// send it.
			jsonLines := r.URL.Path == "/api/activities" && (mt == "application/x-ndjson" || mt == "application/jsonl")
			if err != nil || mt != "application/json" && !jsonLines {
				writeJSON(w, http.StatusUnsupportedMediaType, apiError{
					Error: fmt.Sprintf("%s %s needs Content-Type: application/json, not %q", r.Method, r.URL.Path, r.Header.Get("Content-Type")),
					Field: "Content-Type"})
				return
			}
		}
		h.ServeHTTP(w, r)
	})), nil
}

func changesState(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}
