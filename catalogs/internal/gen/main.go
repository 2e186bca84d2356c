// Command gen builds the embedded data of package catalogs from the shared
// source files (the arcsecond-io standard-star catalogues and the 2016
// arcsecond.io site fixtures, MPC observatory codes and XEphem sites) plus
// the hand-kept corrections in catalogs/data/corrections.json. It records
// the sha256 of every input in catalogs/data/sources.json, so the output can
// be reproduced and checked.
//
// Run from the repository root (or via go generate in catalogs):
//
//	go run ./catalogs/internal/gen -src ../shared/fixtures/arcsecond -out catalogs/data
//
// The program imports package catalogs (its parser and types), which embeds
// the files it writes: they are committed, and to bootstrap from nothing
// create empty placeholders first (touch standards.tsv.gz sites.json.gz
// catalogues.json instruments.csv in catalogs/data).
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/arcsecond-go/arcsecond/catalogs"
)

type corrections struct {
	Standards []specFix `json:"standards"`
	Sites     siteFixes `json:"sites"`
}

// specFix changes the column spec of one table (or "*" for all tables) of
// one catalogue. Every fix carries the reason it is needed.
type specFix struct {
	Catalogue string            `json:"catalogue"`
	Table     string            `json:"table,omitempty"`
	Set       map[string][2]int `json:"set,omitempty"`
	Delete    []string          `json:"delete,omitempty"`
	Rename    map[string]string `json:"rename,omitempty"`
	Fields    []string          `json:"fields,omitempty"`
	SkipLines int               `json:"skip_lines,omitempty"`
	Systems   map[string]string `json:"systems,omitempty"`
	Equinox   string            `json:"equinox,omitempty"`
	Pattern   string            `json:"pattern,omitempty"`
	Reason    string            `json:"reason"`
}

type source struct {
	Path   string `json:"path"`
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
}

var sources []source

func readSource(root, rel string) []byte {
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		fatalf("%v", err)
	}
	h := sha256.Sum256(b)
	sources = append(sources, source{Path: rel, Bytes: len(b), SHA256: hex.EncodeToString(h[:])})
	return b
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "gen: "+format+"\n", a...)
	os.Exit(1)
}

func main() {
	src := flag.String("src", "../shared/fixtures/arcsecond", "folder holding standard-stars-catalogues/ and arcsecond.io-2016-fixtures/")
	out := flag.String("out", "catalogs/data", "output folder")
	flag.Parse()
	run(*src, *out, *out)
}

// run generates the data files into out from the sources under src and
// the corrections.json in corrDir.
func run(src, corrDir, out string) {
	sources = nil
	var fix corrections
	cb, err := os.ReadFile(filepath.Join(corrDir, "corrections.json"))
	if err != nil {
		fatalf("%v", err)
	}
	if err := json.Unmarshal(cb, &fix); err != nil {
		fatalf("corrections.json: %v", err)
	}

	specs, stars := buildStandards(src, fix.Standards)
	writeJSON(filepath.Join(out, "catalogues.json"), specs, false)
	writeTSV(filepath.Join(out, "standards.tsv.gz"), stars)
	fmt.Printf("standards: %d catalogues, %d stars\n", len(specs), len(stars))
	if err := os.WriteFile(filepath.Join(out, "stars_crosscheck.md"), []byte(starsReport(stars)), 0o644); err != nil {
		fatalf("%v", err)
	}

	sites, report := buildSites(src, fix.Sites)
	writeJSON(filepath.Join(out, "sites.json.gz"), sites, true)
	if err := os.WriteFile(filepath.Join(out, "crosscheck.md"), []byte(report), 0o644); err != nil {
		fatalf("%v", err)
	}
	fmt.Printf("sites: %d\n", len(sites))

	sort.Slice(sources, func(a, b int) bool { return sources[a].Path < sources[b].Path })
	writeJSON(filepath.Join(out, "sources.json"), sources, false)
}

func writeJSON(path string, v any, gz bool) {
	var buf bytes.Buffer
	if gz {
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		enc := json.NewEncoder(zw)
		if err := enc.Encode(v); err != nil {
			fatalf("%s: %v", path, err)
		}
		if err := zw.Close(); err != nil {
			fatalf("%s: %v", path, err)
		}
	} else {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			fatalf("%s: %v", path, err)
		}
		buf.Write(append(b, '\n'))
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		fatalf("%v", err)
	}
}

func buildStandards(src string, fixes []specFix) ([]catalogs.CatalogueSpec, []catalogs.Star) {
	root := filepath.Join(src, "standard-stars-catalogues")
	dirs, err := os.ReadDir(root)
	if err != nil {
		fatalf("%v", err)
	}
	var specs []catalogs.CatalogueSpec
	var all []catalogs.Star
	used := make([]bool, len(fixes))
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		rel := filepath.Join("standard-stars-catalogues", d.Name())
		var spec catalogs.CatalogueSpec
		if err := json.Unmarshal(readSource(src, filepath.Join(rel, "metadata.json")), &spec); err != nil {
			fatalf("%s/metadata.json: %v", rel, err)
		}
		for i, f := range fixes {
			if f.Catalogue != spec.Key {
				continue
			}
			if f.Reason == "" {
				fatalf("correction for %s has no reason", f.Catalogue)
			}
			if f.Equinox != "" {
				spec.Equinox = f.Equinox
				used[i] = true
			}
			for ti := range spec.Tables {
				t := &spec.Tables[ti]
				if f.Table != "*" && f.Table != t.File && f.Table != "" {
					continue
				}
				if f.Table == "" && f.Equinox != "" {
					continue
				}
				used[i] = true
				if t.Columns == nil && f.Set != nil {
					t.Columns = map[string][2]int{}
				}
				for old, nw := range f.Rename {
					c, ok := t.Columns[old]
					if !ok {
						fatalf("%s/%s: rename: no column %q", spec.Key, t.File, old)
					}
					delete(t.Columns, old)
					t.Columns[nw] = c
				}
				for _, k := range f.Delete {
					if _, ok := t.Columns[k]; !ok {
						fatalf("%s/%s: delete: no column %q", spec.Key, t.File, k)
					}
					delete(t.Columns, k)
				}
				for k, v := range f.Set {
					t.Columns[k] = v
				}
				if f.Fields != nil {
					t.Fields = f.Fields
				}
				if f.Pattern != "" {
					t.Pattern = f.Pattern
				}
				if f.SkipLines != 0 {
					t.SkipLines = f.SkipLines
				}
				if f.Systems != nil {
					if t.Systems == nil {
						t.Systems = map[string]string{}
					}
					for k, v := range f.Systems {
						t.Systems[k] = v
					}
				}
			}
		}
		for _, t := range spec.Tables {
			b := readSource(src, filepath.Join(rel, t.File))
			stars, err := catalogs.ParseTable(bytes.NewReader(b), spec, t)
			if err != nil {
				fatalf("%s: %v", spec.Key, err)
			}
			if spec.Key == "Perryman_etal_1997" {
				for i := range stars {
					stars[i].Name = "HIP " + stars[i].Name
				}
			}
			all = append(all, stars...)
		}
		specs = append(specs, spec)
	}
	for i, u := range used {
		if !u {
			fatalf("correction %d (%s %s) matched nothing", i, fixes[i].Catalogue, fixes[i].Table)
		}
	}
	for i := range all {
		all[i].Name = strings.TrimPrefix(all[i].Name, "* ")
	}
	return specs, all
}

// writeTSV stores the stars in the package's compact format (published
// positions rounded to 1e-9 degree, 4 micro-arcseconds), gzip-compressed.
func writeTSV(path string, stars []catalogs.Star) {
	cp := make([]catalogs.Star, len(stars))
	for i, s := range stars {
		s.RAPublished = math.Round(s.RAPublished*1e9) / 1e9
		s.DecPublished = math.Round(s.DecPublished*1e9) / 1e9
		cp[i] = s
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err := catalogs.WriteStarsTSV(zw, cp); err != nil {
		fatalf("%s: %v", path, err)
	}
	if err := zw.Close(); err != nil {
		fatalf("%s: %v", path, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		fatalf("%v", err)
	}
}

// starsReport lists stars that two catalogues name alike (name or alias,
// as NormalizeName folds them) but place more than 60" apart in J2000.
// Proper motion explains tens of arcseconds for nearby stars over the
// catalogues' epochs; larger gaps are errors in one of the sources.
func starsReport(stars []catalogs.Star) string {
	const limit = 60.0 // arcsec
	byKey := map[string][]int{}
	for i := range stars {
		seen := map[string]bool{}
		for _, n := range append([]string{stars[i].Name}, stars[i].Aliases...) {
			k := catalogs.NormalizeName(n)
			if k != "" && !seen[k] {
				seen[k] = true
				byKey[k] = append(byKey[k], i)
			}
		}
	}
	type row struct {
		key  string
		sep  float64
		a, b int
	}
	var rows []row
	pairs := 0
	for k, idx := range byKey {
		for x := 0; x < len(idx); x++ {
			for y := x + 1; y < len(idx); y++ {
				a, b := &stars[idx[x]], &stars[idx[y]]
				if a.Catalogue == b.Catalogue {
					continue
				}
				pairs++
				if d := catalogs.Separation(a.RA, a.Dec, b.RA, b.Dec) * 3600; d > limit {
					rows = append(rows, row{k, d, idx[x], idx[y]})
				}
			}
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].sep != rows[j].sep {
			return rows[i].sep > rows[j].sep
		}
		return rows[i].key < rows[j].key
	})
	var b strings.Builder
	fmt.Fprintf(&b, "# Standard stars: the same name in two catalogues, more than %.0f\" apart\n\n", limit)
	fmt.Fprintf(&b, "Generated by `go run ./catalogs/internal/gen`; do not edit. Positions are J2000 (B1950 catalogues converted with\n")
	fmt.Fprintf(&b, "astro.FK4ToFK5, no proper motion). %d cross-catalogue pairs share a name; %d differ by more than %.0f\".\n", pairs, len(rows), limit)
	fmt.Fprintf(&b, "These are source errors or coarse positions (Stone 1996 table 1B gives Dec to the arcminute), kept as published.\n\n")
	fmt.Fprintf(&b, "| name key | separation | star A | star B |\n|---|---|---|---|\n")
	desc := func(s *catalogs.Star) string {
		return fmt.Sprintf("%s: %s (%.5f, %+.5f, %s)", s.Catalogue, s.Name, s.RAPublished, s.DecPublished, s.Equinox)
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %.0f\" | %s | %s |\n", r.key, r.sep, desc(&stars[r.a]), desc(&stars[r.b]))
	}
	return b.String()
}
