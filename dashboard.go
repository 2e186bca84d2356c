package arcsecond

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// The dashboard is a few static files (HTML, CSS and JavaScript modules,
// no build step) that read the REST API and the WebSocket: a timeline with
// one lane per facility, a sky map, a virtualized table and a target page,
// with filters kept in the address. See web/README.md.
//
//go:embed web
var webFS embed.FS

func dashboard() http.Handler {
	sub, _ := fs.Sub(webFS, "web")
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" {
			name = "index.html"
		}
		if st, err := fs.Stat(sub, name); err != nil || st.IsDir() || strings.HasSuffix(name, ".md") {
			writeJSON(w, http.StatusNotFound, apiError{Error: "not found: " + r.URL.Path})
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; img-src 'self' data:")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
