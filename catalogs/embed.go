package catalogs

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"sync"
)

//go:generate go run ./internal/gen -src ../../shared/fixtures/arcsecond -out data

//go:embed data/standards.tsv.gz data/sites.json.gz data/catalogues.json data/instruments.csv
var dataFS embed.FS

func openGzip(name string) (io.ReadCloser, error) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return zr, nil
}

var standards = sync.OnceValues(func() (*StarCatalog, error) {
	zr, err := openGzip("data/standards.tsv.gz")
	if err != nil {
		return nil, fmt.Errorf("embedded standards: %w", err)
	}
	defer zr.Close()
	stars, err := ReadStarsTSV(zr)
	if err != nil {
		return nil, fmt.Errorf("embedded standards: %w", err)
	}
	return NewStarCatalog(stars)
})

// Standards returns the embedded standard-star catalogues as one indexed
// catalogue. It is decoded and indexed on first use (tens of
// milliseconds) and shared afterwards. An error means the embedded data is
// corrupt, which the package's tests rule out.
func Standards() (*StarCatalog, error) { return standards() }

var catalogueSpecs = sync.OnceValues(func() ([]CatalogueSpec, error) {
	b, err := dataFS.ReadFile("data/catalogues.json")
	if err != nil {
		return nil, err
	}
	var specs []CatalogueSpec
	if err := json.Unmarshal(b, &specs); err != nil {
		return nil, fmt.Errorf("embedded catalogues.json: %w", err)
	}
	return specs, nil
})

// Catalogues describes the embedded standard-star catalogues: name,
// bibcode, source URL, equinox and the (corrected) column spec each was
// parsed with.
func Catalogues() ([]CatalogueSpec, error) { return catalogueSpecs() }

var sites = sync.OnceValues(func() (*SiteCatalog, error) {
	zr, err := openGzip("data/sites.json.gz")
	if err != nil {
		return nil, fmt.Errorf("embedded sites: %w", err)
	}
	defer zr.Close()
	s, err := ReadSitesJSON(zr)
	if err != nil {
		return nil, fmt.Errorf("embedded sites: %w", err)
	}
	return NewSiteCatalog(s)
})

// DefaultSites returns the embedded observing sites, indexed on first use.
func DefaultSites() (*SiteCatalog, error) { return sites() }

// Sites returns every embedded observing site (curated sites first, then
// MPC-only, then XEphem-only). It returns nil only if the embedded data is
// corrupt.
func Sites() []Site {
	c, err := sites()
	if err != nil {
		return nil
	}
	return c.All()
}

// SiteByName returns the embedded site a name, alias, ID, MPC code or
// telescope name designates ("Paranal", "cerro paranal", "VLT", "309").
func SiteByName(name string) (Site, error) {
	c, err := sites()
	if err != nil {
		return Site{}, err
	}
	return c.ByName(name)
}

// SiteByCode returns the embedded site with an MPC observatory code.
func SiteByCode(code string) (Site, error) {
	c, err := sites()
	if err != nil {
		return Site{}, err
	}
	return c.ByCode(code)
}

// NearestSites returns the n embedded sites nearest to (lon, lat), degrees
// east-positive and geodetic.
func NearestSites(lon, lat float64, n int) ([]SiteMatch, error) {
	c, err := sites()
	if err != nil {
		return nil, err
	}
	return c.Nearest(lon, lat, n)
}
