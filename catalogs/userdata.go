package catalogs

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/astro"
)

// maxUserFile bounds what the user-data readers accept (256 MiB).
const maxUserFile = 256 << 20

// ReadStarsJSON reads a JSON array of stars in the format Star marshals to. Each star needs a name and either
// "ra"/"dec" (degrees, J2000) or "ra_published"/"dec_published" with an
// "equinox" ("J2000" or "B1950"); B1950 positions are converted to J2000.
func ReadStarsJSON(r io.Reader) ([]Star, error) {
	var raw []struct {
		Star
		RA           *float64 `json:"ra"`
		Dec          *float64 `json:"dec"`
		RAPublished  *float64 `json:"ra_published"`
		DecPublished *float64 `json:"dec_published"`
		Equinox      string   `json:"equinox"`
	}
	b, err := io.ReadAll(io.LimitReader(r, maxUserFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading stars JSON: %w", err)
	}
	if len(b) > maxUserFile {
		return nil, fmt.Errorf("reading stars JSON: more than %d bytes", maxUserFile)
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("reading stars JSON: %w", err)
	}
	stars := make([]Star, len(raw))
	for i, rs := range raw {
		s := rs.Star
		eq, err := parseEquinox(rs.Equinox)
		if err != nil {
			return nil, fmt.Errorf("star %d (%q): %w", i, s.Name, err)
		}
		s.Equinox = eq
		switch {
		case rs.RAPublished != nil && rs.DecPublished != nil:
			s.RAPublished, s.DecPublished = *rs.RAPublished, *rs.DecPublished
			if err := checkPosition(s.RAPublished, s.DecPublished); err != nil {
				return nil, fmt.Errorf("star %d (%q): published position: %w", i, s.Name, err)
			}
			s.RAPublished = normRA(s.RAPublished)
			s.RA, s.Dec = toJ2000(eq, s.RAPublished, s.DecPublished)
		case rs.RA != nil && rs.Dec != nil:
			if eq != J2000 {
				return nil, fmt.Errorf("star %d (%q): ra/dec are J2000; give a %s position as ra_published/dec_published", i, s.Name, eq)
			}
			s.RA, s.Dec = normRA(*rs.RA), *rs.Dec
			s.RAPublished, s.DecPublished = s.RA, s.Dec
		default:
			return nil, fmt.Errorf("star %d (%q): no position (want ra and dec)", i, s.Name)
		}
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("star %d: %w", i, err)
		}
		stars[i] = s
	}
	return stars, nil
}

// WriteStarsJSON writes stars in the format ReadStarsJSON reads.
func WriteStarsJSON(w io.Writer, stars []Star) error {
	if err := json.NewEncoder(w).Encode(stars); err != nil {
		return fmt.Errorf("writing stars JSON: %w", err)
	}
	return nil
}

func normRA(ra float64) float64 {
	if ra >= 0 && ra < 360 {
		return ra
	}
	ra = mod360(ra)
	return ra
}

func mod360(x float64) float64 {
	x = math.Mod(x, 360)
	if x < 0 {
		x += 360
	}
	if x >= 360 {
		x -= 360
	}
	return x
}

// ReadStarsCSV reads stars from CSV with a header row. Columns (case
// insensitive): name (required), ra and dec (required, degrees, or
// sexagesimal "hh:mm:ss.s" / "±dd:mm:ss"), equinox (J2000 default or
// B1950), catalogue, spectral_type, aliases (separated by '|'), and any
// number of magnitude columns named mag_<band> (Vega) or mab_<band> (AB),
// with optional mag_<band>_err. Empty cells are missing values. catalogue
// defaults to defaultCatalogue.
func ReadStarsCSV(r io.Reader, defaultCatalogue string) ([]Star, error) {
	cr := csv.NewReader(io.LimitReader(r, maxUserFile))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading stars CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"name", "ra", "dec"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("stars CSV: no %q column in header %q", need, header)
		}
	}
	var stars []Star
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("stars CSV: %w", err)
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		s := Star{Name: get("name"), Catalogue: get("catalogue"), SpectralType: get("spectral_type")}
		if s.Catalogue == "" {
			s.Catalogue = defaultCatalogue
		}
		if a := get("aliases"); a != "" {
			for _, x := range strings.Split(a, "|") {
				if x = strings.TrimSpace(x); x != "" {
					s.Aliases = append(s.Aliases, x)
				}
			}
		}
		eq, err := parseEquinox(get("equinox"))
		if err != nil {
			return nil, fmt.Errorf("stars CSV line %d: %w", line, err)
		}
		s.Equinox = eq
		ra, err := parseAngle(get("ra"), true)
		if err != nil {
			return nil, fmt.Errorf("stars CSV line %d: ra: %w", line, err)
		}
		dec, err := parseAngle(get("dec"), false)
		if err != nil {
			return nil, fmt.Errorf("stars CSV line %d: dec: %w", line, err)
		}
		if err := checkPosition(ra, dec); err != nil {
			return nil, fmt.Errorf("stars CSV line %d: %w", line, err)
		}
		s.RAPublished, s.DecPublished = normRA(ra), dec
		s.RA, s.Dec = toJ2000(eq, s.RAPublished, s.DecPublished)
		for i, h := range header {
			h = strings.TrimSpace(h)
			lh := strings.ToLower(h)
			if i >= len(rec) || strings.HasSuffix(lh, "_err") || !(strings.HasPrefix(lh, "mag_") || strings.HasPrefix(lh, "mab_")) {
				continue
			}
			v := strings.TrimSpace(rec[i])
			if v == "" {
				continue
			}
			val, err := parseNumber(v)
			if err != nil {
				return nil, fmt.Errorf("stars CSV line %d: column %s: %w", line, h, err)
			}
			m := Magnitude{Band: bandName(h[4:]), Value: val, System: "Vega"}
			if strings.HasPrefix(lh, "mab_") {
				m.System = "AB"
			}
			if e := get(lh + "_err"); e != "" {
				if m.Error, err = parseNumber(e); err != nil {
					return nil, fmt.Errorf("stars CSV line %d: column %s_err: %w", line, h, err)
				}
			}
			s.Magnitudes = append(s.Magnitudes, m)
		}
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("stars CSV line %d: %w", line, err)
		}
		stars = append(stars, s)
	}
	return stars, nil
}

// ParseRA reads a right ascension: decimal degrees ("7.5396") or
// sexagesimal hours ("00:30:09.5", "00 30 09.5"). The result is in
// degrees, in [0, 360).
func ParseRA(s string) (float64, error) {
	v, err := parseAngle(strings.TrimSpace(s), true)
	if err != nil {
		return 0, fmt.Errorf("right ascension: %w", err)
	}
	if v < -360 || v > 720 {
		return 0, fmt.Errorf("right ascension %q out of range", s)
	}
	return normRA(v), nil
}

// ParseDec reads a declination: decimal degrees ("-46.5247") or
// sexagesimal degrees ("-46:31:29", "-46 31 29"), in [-90, 90].
func ParseDec(s string) (float64, error) {
	v, err := parseAngle(strings.TrimSpace(s), false)
	if err != nil {
		return 0, fmt.Errorf("declination: %w", err)
	}
	if v < -90 || v > 90 {
		return 0, fmt.Errorf("declination %q outside [-90,90]", s)
	}
	return v, nil
}

// parseAngle reads decimal degrees or a sexagesimal value in hours (right
// ascension) or degrees, in any form astro.ParseHours and
// astro.ParseDegrees read ("00:30:09.5", "00 30 09.5", "0h30m9.5s",
// "-46°31'29\""), and returns degrees.
func parseAngle(v string, hours bool) (float64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, errors.New("empty")
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f != f || f > 1e6 || f < -1e6 {
			return 0, fmt.Errorf("%q is not a usable angle", v)
		}
		return f, nil
	}
	parse := astro.ParseDegrees
	if hours {
		parse = astro.ParseHours
	}
	a, err := parse(v)
	if err != nil {
		return 0, err
	}
	return a.Deg(), nil
}

// LoadStarsFile reads a user catalogue from a .json or .csv file; the
// catalogue key of CSV rows without one is the file's base name.
func LoadStarsFile(ctx context.Context, path string) ([]Star, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loading stars: %w", err)
	}
	defer f.Close()
	var stars []Star
	switch ext := strings.ToLower(fileExt(path)); ext {
	case ".json":
		stars, err = ReadStarsJSON(f)
	case ".csv":
		base := path[strings.LastIndexAny(path, `/\`)+1:]
		stars, err = ReadStarsCSV(f, strings.TrimSuffix(base, fileExt(base)))
	default:
		return nil, fmt.Errorf("loading stars from %s: unknown extension %q (want .json or .csv)", path, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("loading stars from %s: %w", path, err)
	}
	return stars, nil
}

func fileExt(path string) string {
	i := strings.LastIndexByte(path, '.')
	if i < 0 || strings.ContainsAny(path[i:], `/\`) {
		return ""
	}
	return path[i:]
}

// ReadSitesJSON reads a JSON array of sites in the format Site marshals
// to (the format of the embedded data).
func ReadSitesJSON(r io.Reader) ([]Site, error) {
	var sites []Site
	if err := json.NewDecoder(io.LimitReader(r, maxUserFile)).Decode(&sites); err != nil {
		return nil, fmt.Errorf("reading sites JSON: %w", err)
	}
	for i := range sites {
		if err := sites[i].Validate(); err != nil {
			return nil, fmt.Errorf("site %d: %w", i, err)
		}
		if sites[i].TimeZone != "" {
			if _, err := sites[i].Location(); err != nil {
				return nil, fmt.Errorf("site %d: %w", i, err)
			}
		}
	}
	return sites, nil
}

// ReadSitesCSV reads sites from CSV with a header row. Columns (case
// insensitive): name, longitude (degrees east-positive), latitude
// (geodetic degrees) are required; id, height (m), time_zone (IANA),
// mpc_code, country and aliases (separated by '|') are optional. Sources
// is set to "user".
func ReadSitesCSV(r io.Reader) ([]Site, error) {
	cr := csv.NewReader(io.LimitReader(r, maxUserFile))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading sites CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"name", "longitude", "latitude"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("sites CSV: no %q column in header %q", need, header)
		}
	}
	var sites []Site
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("sites CSV: %w", err)
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		s := Site{ID: get("id"), Name: get("name"), TimeZone: get("time_zone"), MPCCode: strings.ToUpper(get("mpc_code")),
			Country: get("country"), Sources: []string{"user"}}
		if s.TimeZone != "" {
			s.TimeZoneSource = "user"
		}
		if a := get("aliases"); a != "" {
			for _, x := range strings.Split(a, "|") {
				if x = strings.TrimSpace(x); x != "" {
					s.Aliases = append(s.Aliases, x)
				}
			}
		}
		num := func(k string, required bool) (float64, error) {
			v := get(k)
			if v == "" {
				if required {
					return 0, fmt.Errorf("sites CSV line %d: %s is empty", line, k)
				}
				return 0, nil
			}
			f, err := parseNumber(v)
			if err != nil {
				return 0, fmt.Errorf("sites CSV line %d: %s: %w", line, k, err)
			}
			return f, nil
		}
		if s.Longitude, err = num("longitude", true); err != nil {
			return nil, err
		}
		if s.Latitude, err = num("latitude", true); err != nil {
			return nil, err
		}
		if s.Height, err = num("height", false); err != nil {
			return nil, err
		}
		if s.Longitude > 180 && s.Longitude <= 360 {
			s.Longitude -= 360
		}
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("sites CSV line %d: %w", line, err)
		}
		if s.TimeZone != "" {
			if _, err := s.Location(); err != nil {
				return nil, fmt.Errorf("sites CSV line %d: %w", line, err)
			}
		}
		sites = append(sites, s)
	}
	return sites, nil
}

// LoadSitesFile reads user sites from a .json or .csv file.
func LoadSitesFile(ctx context.Context, path string) ([]Site, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loading sites: %w", err)
	}
	defer f.Close()
	var sites []Site
	switch ext := strings.ToLower(fileExt(path)); ext {
	case ".json":
		sites, err = ReadSitesJSON(f)
	case ".csv":
		sites, err = ReadSitesCSV(f)
	default:
		return nil, fmt.Errorf("loading sites from %s: unknown extension %q (want .json or .csv)", path, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("loading sites from %s: %w", path, err)
	}
	return sites, nil
}

// MergeSites returns base followed by extra, extra sites replacing base
// sites with the same ID; use it to add user sites to Sites() before
// NewSiteCatalog.
func MergeSites(base, extra []Site) []Site {
	ids := map[string]bool{}
	for _, s := range extra {
		if s.ID == "" {
			s.ID = slug(s.Name)
		}
		ids[s.ID] = true
	}
	out := make([]Site, 0, len(base)+len(extra))
	for _, s := range base {
		if !ids[s.ID] {
			out = append(out, s)
		}
	}
	for _, s := range extra {
		if s.ID == "" {
			s.ID = slug(s.Name)
		}
		out = append(out, s)
	}
	return out
}
