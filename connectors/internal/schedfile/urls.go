package schedfile

import (
	"fmt"
	"net/url"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// ParseURLs parses the addresses of a source's options, in order; each
// must be absolute with a host. The error names the connector (name) and
// the first bad address, with any credentials in it redacted.
func ParseURLs(name string, raw ...string) ([]*url.URL, error) {
	us := make([]*url.URL, len(raw))
	for i, r := range raw {
		u, err := url.Parse(r)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return nil, fmt.Errorf("%s: bad URL %q", name, httpx.RedactURL(r))
		}
		us[i] = u
	}
	return us, nil
}
