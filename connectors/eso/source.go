package eso

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "eso"

// DefaultURL is ESO's TAP service for observations.
const DefaultURL = "https://archive.eso.org/tap_obs"

// The environment variables read (through connectors.Credential) when the
// options leave the credentials empty. Without credentials the archive is
// queried anonymously, which lists public metadata.
const (
	// EnvToken holds a ready ESO id_token, sent as Authorization: Bearer.
	EnvToken = "ARCSECOND_ESO_TOKEN"
	// EnvUsername and EnvPassword hold an ESO User Portal login, exchanged
	// for id_tokens at the OIDC endpoint (see [OIDC]).
	EnvUsername = "ARCSECOND_ESO_USERNAME"
	EnvPassword = "ARCSECOND_ESO_PASSWORD"
)

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
	// Token is a ready ESO id_token, sent as Authorization: Bearer to the
	// archive only and never logged (default: $ARCSECOND_ESO_TOKEN).
	Token string
	// Username and Password of the ESO User Portal (default:
	// $ARCSECOND_ESO_USERNAME, $ARCSECOND_ESO_PASSWORD), used when Token
	// is empty: the source then obtains id_tokens from AuthURL, caches each
	// until 10 minutes before it expires and renews it. Empty: anonymous.
	Username, Password string
	// AuthURL is the OIDC token endpoint (default DefaultAuthURL).
	AuthURL string
	// Deadline bounds a whole listing of one product (default 5 min).
	Deadline time.Duration
	connectors.HTTPOptions
}

// Source lists ESO observations: raw frames (dbo.raw) and processed
// products (ivoa.ObsCore) as archived activities.
type Source struct {
	parts []*obscore.Source
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
	o.Token = connectors.Credential(o.Token, EnvToken)
	var ts obscore.TokenSource
	tokenEnv := EnvToken + " (or " + EnvUsername + " and " + EnvPassword + ")"
	if o.Token == "" {
		user, pass := connectors.Credential(o.Username, EnvUsername), connectors.Credential(o.Password, EnvPassword)
		if (user == "") != (pass == "") {
			return nil, fmt.Errorf("%s: an ESO login needs both a username and a password (%s, %s): %w", Name, EnvUsername, EnvPassword, connectors.ErrAuthRequired)
		}
		if user != "" {
			ts = NewOIDC(o.AuthURL, user, pass, o.HTTPOptions)
			tokenEnv = EnvUsername + " and " + EnvPassword
		}
	}
	s := &Source{}
	for i, p := range o.Products {
		oo := obscore.Options{URL: o.URL, Name: Name, Cone: o.Cone, MaxRec: o.MaxRec, Format: o.Format,
			Async: o.Async, Token: o.Token, TokenSource: ts, TokenEnv: tokenEnv, Deadline: o.Deadline,
			HTTPOptions: o.HTTPOptions}
		if i == 0 {
			oo.ADQL = o.ADQL
		}
		switch p {
		case Raw:
			oo.Tabler = &rawTable{o: &o}
		case Processed:
			oo.Table = "ivoa.ObsCore"
			oo.Converter = obscore.Converter{Observatory: "ESO", Map: mapObsCore, Profile: obscore.ESOProfile}
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
	return &obscore.Converter{Source: Name, Observatory: "ESO", Map: mapObsCore, LinkBase: DefaultURL, Profile: obscore.ESOProfile}
}

// ParseProcessed converts a recorded reply of an ivoa.ObsCore query.
func ParseProcessed(b []byte) (*connectors.Reply, error) {
	return obscore.ParseReply(b, ObsCoreConverter())
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			o := Options{URL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions, Token: cfg.Settings["token"],
				Username: cfg.Settings["username"], Format: cfg.Settings["format"]}
			for _, p := range strings.Split(cfg.Settings["products"], ",") {
				if p = strings.TrimSpace(p); p != "" {
					o.Products = append(o.Products, Product(p))
				}
			}
			return New(o)
		},
		Settings: map[string]string{
			"token":    "a ready ESO id_token (default: $" + EnvToken + ")",
			"username": "ESO User Portal username (default: $" + EnvUsername + "; the password only from $" + EnvPassword + ")",
			"format":   "votable (default) or csv",
			"products": "comma-separated: raw (default), processed",
		},
		Env: map[string]string{
			EnvToken:    "a ready ESO id_token (bearer)",
			EnvUsername: "ESO User Portal username, exchanged with the password for id_tokens",
			EnvPassword: "ESO User Portal password",
		},
		Parsers: []connectors.Parser{{
			Name: "eso", Help: "ESO tap_obs reply (VOTable or CSV) of dbo.raw or ivoa.ObsCore",
			Parse: Parse,
			Recognize: func(p string, head []byte) bool {
				return obscore.IsTableFile(p) && (bytes.Contains(head, []byte("dp_id")) || bytes.Contains(head, []byte("obs_creator_did")) && bytes.Contains(head, []byte("ivo://eso.org")))
			},
		}},
	})
}

// Name returns "eso".
func (s *Source) Name() string { return Name }

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
		for _, p := range s.parts {
			stop := false
			for a, err := range p.Activities(ctx, w) {
				if !yield(a, err) || err != nil {
					stop = true
					break
				}
			}
			if stop {
				return
			}
		}
	}
}

// Parse converts a recorded tap_obs reply, telling raw frames (a dp_cat
// column) from ObsCore products (t_min and obs_id columns) by its header.
func Parse(b []byte) (*connectors.Reply, error) {
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
