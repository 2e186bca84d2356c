package arcsecond

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
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
		if name == "bands.json" {
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			writeJSON(w, http.StatusOK, dashboardBands())
			return
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

// bandList is the answer of GET /bands.json: the named bands the band
// filter offers (activities.Bands), with their wavelength ranges, so that
// the page filters with the node's own table. The filter's semantics are
// those of GET /api/activities?band= (activities.Query.Band): a bandpass
// overlapping the band's range.
type bandList struct {
	Bands []bandEntry `json:"bands"`
}

type bandEntry struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
	Min     float64  `json:"min_wavelength_m"`
	Max     float64  `json:"max_wavelength_m"`
	Source  string   `json:"source"`
}

func dashboardBands() bandList {
	var l bandList
	for _, b := range activities.Bands() {
		al := b.Aliases
		if al == nil {
			al = []string{}
		}
		l.Bands = append(l.Bands, bandEntry{Name: b.Name, Aliases: al, Min: float64(b.Bandpass.Min), Max: float64(b.Bandpass.Max), Source: b.Source})
	}
	return l
}
