package eso

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "eso"

// DefaultURL is ESO's TAP service for observations.
const DefaultURL = "https://archive.eso.org/tap_obs"

// EnvToken is the environment variable holding an ESO OIDC token (sent as
// Authorization: Bearer), read by the registered factory and by
// [FromEnv]. Without a token the archive is queried anonymously, which
// lists public metadata.
const EnvToken = "ARCSECOND_ESO_TOKEN"

// DefaultMaxRec is the row limit asked of the service by default.
const DefaultMaxRec = 10000

// Product is a kind of data the source lists.
type Product string

const (
	// Raw frames from dbo.raw (the default).
	Raw Product = "raw"
	// Processed data products from ivoa.ObsCore.
	Processed Product = "processed"
)

// ErrTruncated is matched by the error that ends a listing cut at MAXREC.
var ErrTruncated = archive.ErrTruncated

// Cone restricts a listing to a circle of the sky (ICRS degrees).
type Cone = obscore.Cone

// Options configure a [Source].
type Options struct {
	// URL of the TAP service (default DefaultURL).
	URL string
	// Products to list, in order (default Raw only).
	Products []Product
	// Cone, when set, restricts the listing to a circle of the sky.
	Cone *Cone
	// Instruments, when set, restricts raw frames to these instruments
	// (ESO names: "MUSE", "SINFONI").
	Instruments []string
	// ScienceOnly asks the archive for science frames only (dp_cat =
	// 'SCIENCE'): less transfer, but the skipped-frame counts are then 0.
	ScienceOnly bool
	// ADQL, when set, replaces the window query of the first product; the
	// window is then applied to the converted activities.
	ADQL string
	// MaxRec is the row limit asked (default DefaultMaxRec); a result cut
	// at it ends the listing with an error matching ErrTruncated.
	MaxRec int
	// Format is "votable" (default) or "csv".
	Format string
	// Async runs queries as UWS jobs instead of synchronously.
	Async bool
	// Token is an ESO OIDC token, sent as Authorization: Bearer to the
	// archive only and never logged; empty: anonymous. See EnvToken.
	Token string
	// Deadline bounds a whole listing of one product (default 5 min).
	Deadline time.Duration
	// Transport replaces the network transport (tests, recorders).
	Transport http.RoundTripper
	// HTTPClient, when set, lends its Transport.
	HTTPClient *http.Client
	// Timeout bounds each attempt (default 30 s).
	Timeout time.Duration
	// Retries of a failed attempt (default 4; negative for none).
	Retries int
	// RatePerHost in requests per second (default 2; negative: unlimited).
	RatePerHost float64
}

// FromEnv returns o with Token taken from ARCSECOND_ESO_TOKEN when unset.
func FromEnv(o Options) Options {
	if o.Token == "" {
		o.Token = os.Getenv(EnvToken)
	}
	return o
}

// Source lists ESO observations: raw frames (dbo.raw) and processed
// products (ivoa.ObsCore) as archived activities.
type Source struct {
	parts  []*obscore.Source
	counts archive.Counts
}

// New returns an ESO source.
func New(o Options) (*Source, error) {
	if o.URL == "" {
		o.URL = DefaultURL
	}
	if o.MaxRec <= 0 {
		o.MaxRec = DefaultMaxRec
	}
	if len(o.Products) == 0 {
		o.Products = []Product{Raw}
	}
	s := &Source{}
	for i, p := range o.Products {
		oo := obscore.Options{URL: o.URL, Name: Name, Cone: o.Cone, MaxRec: o.MaxRec, Format: o.Format,
			Async: o.Async, Token: o.Token, TokenEnv: EnvToken, Deadline: o.Deadline, Transport: o.Transport,
			HTTPClient: o.HTTPClient, Timeout: o.Timeout, Retries: o.Retries, RatePerHost: o.RatePerHost}
		if i == 0 {
			oo.ADQL = o.ADQL
		}
		switch p {
		case Raw:
			oo.Tabler = &rawTable{o: &o}
		case Processed:
			oo.Table = "ivoa.ObsCore"
			oo.Converter = obscore.Converter{Observatory: "ESO", Map: mapObsCore}
		default:
			return nil, fmt.Errorf("%s: unknown product %q (raw or processed)", Name, p)
		}
		src, err := obscore.New(oo)
		if err != nil {
			return nil, err
		}
		s.parts = append(s.parts, src)
	}
	return s, nil
}

// mapObsCore maps ESO's facility_name ("ESO-VISTA") and instrument_name.
func mapObsCore(facility, instrument string) (string, string, float64) {
	p := Place(facility, instrument)
	return p.Observatory, p.Facility, p.FOVRadius
}

// ObsCoreConverter is the converter of ESO's ivoa.ObsCore rows, for
// [obscore.ParseReply] on recorded replies.
func ObsCoreConverter() *obscore.Converter {
	return &obscore.Converter{Source: Name, Observatory: "ESO", Map: mapObsCore, LinkBase: DefaultURL}
}

// ParseProcessed converts a recorded reply of an ivoa.ObsCore query.
func ParseProcessed(b []byte) (*archive.Result, error) {
	return obscore.ParseReply(b, ObsCoreConverter())
}

func init() {
	connectors.Register(Name, func(cfg connectors.Config) (activities.Source, error) {
		o := FromEnv(Options{URL: cfg.BaseURL, Transport: cfg.Transport, HTTPClient: cfg.HTTPClient,
			Token: cfg.Settings["token"], Format: cfg.Settings["format"]})
		for _, p := range strings.Split(cfg.Settings["products"], ",") {
			if p = strings.TrimSpace(p); p != "" {
				o.Products = append(o.Products, Product(p))
			}
		}
		return New(o)
	})
}

// Name returns "eso".
func (s *Source) Name() string { return Name }

// Warnings returns the counts of the last listing by reason.
func (s *Source) Warnings() map[string]int { return s.counts.Map() }

// Query returns the ADQL run for each product for w.
func (s *Source) Query(w activities.Window) ([]string, error) {
	var qs []string
	for _, p := range s.parts {
		q, err := p.Query(w)
		if err != nil {
			return nil, err
		}
		qs = append(qs, q)
	}
	return qs, nil
}

// Activities lists the products' activities overlapping w, raw frames
// first. A product cut at MAXREC ends the listing with an error matching
// ErrTruncated.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		s.counts.Reset()
		for _, p := range s.parts {
			stop := false
			for a, err := range p.Activities(ctx, w) {
				if !yield(a, err) || err != nil {
					stop = true
					break
				}
			}
			s.counts.Merge(p.Warnings())
			if stop {
				return
			}
		}
	}
}

// Parse converts a recorded tap_obs reply, telling raw frames (a dp_cat
// column) from ObsCore products (t_min and obs_id columns) by its header.
func Parse(b []byte) (*archive.Result, error) {
	head := b[:min(len(b), 64<<10)]
	if obscore.IsVOTable(b) {
		if bytes.Contains(head, []byte(`name="dp_cat"`)) {
			return ParseRaw(b)
		}
		return ParseProcessed(b)
	}
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if !bytes.Contains(head, []byte("dp_cat")) && bytes.Contains(head, []byte("t_min")) {
		return ParseProcessed(b)
	}
	return ParseRaw(b)
}
