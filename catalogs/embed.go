package catalogs

import (
	"bytes"
	"compress/gzip"
	_ "embed" // the tables below
	"encoding/json"
	"fmt"
	"io"

	"github.com/arcsecond-go/arcsecond/internal/lazy"
)

//go:generate go run ./internal/gen -src ../../shared/fixtures/arcsecond -out data

// The embedded tables, one variable each: the linker keeps only those a
// program can reach, so a program that looks up an instrument does not
// carry the standard stars.
var (
	//go:embed data/standards.tsv.gz
	standardsGz []byte
	//go:embed data/sites.json.gz
	sitesGz []byte
	//go:embed data/catalogues.json
	cataloguesJSON []byte
	//go:embed data/instruments.csv
	instrumentsCSV []byte
)

// openGzip decompresses the embedded table b, called name in errors.
func openGzip(name string, b []byte) (io.ReadCloser, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return zr, nil
}

var standardsValue lazy.Value[*StarCatalog]

func standards() (*StarCatalog, error) { return standardsValue.Get(loadStandards) }

func loadStandards() (*StarCatalog, error) {
	zr, err := openGzip("data/standards.tsv.gz", standardsGz)
	if err != nil {
		return nil, fmt.Errorf("embedded standards: %w", err)
	}
	defer zr.Close()
	stars, err := ReadStarsTSV(zr)
	if err != nil {
		return nil, fmt.Errorf("embedded standards: %w", err)
	}
	return NewStarCatalog(stars)
}

// Standards returns the embedded standard-star catalogues as one indexed
// catalogue. It is decoded and indexed on first use (tens of
// milliseconds) and shared afterwards. An error means the embedded data is
// corrupt, which the package's tests rule out.
func Standards() (*StarCatalog, error) { return standards() }

var catalogueSpecsValue lazy.Value[[]CatalogueSpec]

func catalogueSpecs() ([]CatalogueSpec, error) { return catalogueSpecsValue.Get(loadCatalogueSpecs) }

func loadCatalogueSpecs() ([]CatalogueSpec, error) {
	var specs []CatalogueSpec
	if err := json.Unmarshal(cataloguesJSON, &specs); err != nil {
		return nil, fmt.Errorf("embedded catalogues.json: %w", err)
	}
	return specs, nil
}

// Catalogues describes the embedded standard-star catalogues: name,
// bibcode, source URL, equinox and the (corrected) column spec each was
// parsed with.
func Catalogues() ([]CatalogueSpec, error) { return catalogueSpecs() }

var sitesValue lazy.Value[*SiteCatalog]

func sites() (*SiteCatalog, error) { return sitesValue.Get(loadSites) }

func loadSites() (*SiteCatalog, error) {
	zr, err := openGzip("data/sites.json.gz", sitesGz)
	if err != nil {
		return nil, fmt.Errorf("embedded sites: %w", err)
	}
	defer zr.Close()
	s, err := ReadSitesJSON(zr)
	if err != nil {
		return nil, fmt.Errorf("embedded sites: %w", err)
	}
	return NewSiteCatalog(s)
}

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
