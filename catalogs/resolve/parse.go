package resolve

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The Sesame XML reply (output option -ox): a <Sesame> root holding one
// <Target> per name asked; a Target holds the <name> asked, <INFO> notes
// (such as "*** Nothing found ***") and one <Resolver name="S=Simbad ...">
// per database that answered, with <jradeg>/<jdedeg> (J2000 degrees),
// <oname> and <otype>, or its own <INFO>/<ERROR>. Sources: testdata/PROVENANCE.md.
type sesameXML struct {
	XMLName xml.Name    `xml:"Sesame"`
	Targets []targetXML `xml:"Target"`
}

type targetXML struct {
	Name      string        `xml:"name"`
	Infos     []string      `xml:"INFO"`
	Errors    []string      `xml:"ERROR"`
	Resolvers []resolverXML `xml:"Resolver"`
}

type resolverXML struct {
	Name   string   `xml:"name,attr"`
	Infos  []string `xml:"INFO"`
	Errors []string `xml:"ERROR"`
	RA     string   `xml:"jradeg"`
	Dec    string   `xml:"jdedeg"`
	OName  string   `xml:"oname"`
	OType  string   `xml:"otype"`
}

// maxReply bounds the bytes of a Sesame reply read and parsed: a reply
// for one name is a few kilobytes.
const maxReply = 1 << 20

// ParseSesame reads a Sesame XML reply to a query for name and returns
// the answers of the resolvers that gave a position, in the reply's
// order. It returns an error of kind ErrNotFound when the reply holds no
// position and no <ERROR>, and ErrBadReply when it is not a Sesame reply,
// holds a position out of range, or reports only errors.
func ParseSesame(name string, data []byte) ([]Target, error) {
	bad := func(detail string, err error) error {
		return &Error{Kind: ErrBadReply, Service: "Sesame", Name: name, Detail: detail, Err: err}
	}
	if len(data) > maxReply {
		return nil, bad(fmt.Sprintf("reply of %d bytes, more than %d", len(data), maxReply), nil)
	}
	var doc sesameXML
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		return nil, bad("not a Sesame XML document", err)
	}
	var out []Target
	var errs []string
	for _, t := range doc.Targets {
		errs = append(errs, trimAll(t.Errors)...)
		for _, r := range t.Resolvers {
			errs = append(errs, trimAll(r.Errors)...)
			if strings.TrimSpace(r.RA) == "" && strings.TrimSpace(r.Dec) == "" {
				continue // this database found nothing
			}
			ra, err1 := parseDeg(r.RA)
			de, err2 := parseDeg(r.Dec)
			if err1 != nil || err2 != nil {
				return nil, bad(fmt.Sprintf("resolver %q: position %q %q is not two numbers", r.Name, r.RA, r.Dec), nil)
			}
			if ra < 0 || ra >= 360 || de < -90 || de > 90 {
				return nil, bad(fmt.Sprintf("resolver %q: position RA %g Dec %g out of range", r.Name, ra, de), nil)
			}
			out = append(out, Target{
				Name:     name,
				Object:   strings.TrimSpace(r.OName),
				RA:       ra,
				Dec:      de,
				Service:  "Sesame",
				Database: databaseName(r.Name),
				Type:     strings.TrimSpace(r.OType),
			})
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	if len(errs) > 0 {
		return nil, bad("Sesame reported: "+strings.Join(errs, "; "), nil)
	}
	return nil, &Error{Kind: ErrNotFound, Service: "Sesame", Name: name, Detail: "no resolver gave a position"}
}

func trimAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// parseDeg parses a decimal number of degrees (Sesame writes "+41.26875",
// "010.684708"), refusing NaN and infinities.
func parseDeg(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not finite", s)
	}
	return f, nil
}

// databaseName turns a Resolver's name attribute ("S=Simbad (via url)",
// "V1=VizieR (CDS)", "N=NED") into the database's name ("Simbad",
// "VizieR", "NED"); an attribute of another form is kept as it is.
func databaseName(attr string) string {
	s := strings.TrimSpace(attr)
	if i := strings.IndexByte(s, '='); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	return s
}
