package arcsecond

import (
	"embed"
	"io/fs"
	"net/http"
)

// The dashboard is one static page (HTML, CSS and JavaScript, no build
// step) that reads the REST API and the WebSocket.
//
//go:embed web
var webFS embed.FS

func dashboard() http.Handler {
	sub, _ := fs.Sub(webFS, "web")
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" && r.URL.Path != "/index.html" && r.URL.Path != "/dashboard.js" && r.URL.Path != "/dashboard.css" {
			writeJSON(w, http.StatusNotFound, apiError{Error: "not found: " + r.URL.Path})
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; img-src 'self' data:")
		files.ServeHTTP(w, r)
	})
}
