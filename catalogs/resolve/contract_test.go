package resolve

import (
	"errors"
	"net/url"
	"testing"
)

// The Sesame contract: each row is a fact the resolver relies on, the
// source it is read from (see testdata/PROVENANCE.md), and a check of the
// resolver against it.
const (
	astropyNameResolve = "astropy/astropy@e4d513f7b515197d41792a151fea8e6d177bb84b:astropy/coordinates/name_resolve.py"
	saaoTargetPosition = "saltastroops/target-position@80b19421a58d39bd6b0b24e4fc461f3d63d12992:src/__tests__/index.test.ts"
	starlinkResolver   = "Starlink/starjava@f39ccdfc6e8529ffd6ab8d9b4cb8674f16115164:vo/src/main/uk/ac/starlink/vo/ResolverInfo.java"
)

func sesameReply(resolver string) []byte {
	return []byte(`<Sesame><Target option="A"><name>X</name>` + resolver + `</Target></Sesame>`)
}

func TestSesameContract(t *testing.T) {
	base, _ := url.Parse("http://mock.example/cgi-bin/nph-sesame")
	for _, c := range []struct {
		fact, source string
		check        func() error
	}{
		{"the CfA mirror is the second base URL", astropyNameResolve, func() error {
			s, _ := NewSesame(SesameOptions{})
			if s.bases[1].String() != "https://vizier.cfa.harvard.edu/viz-bin/nph-sesame" {
				return errors.New(s.bases[1].String())
			}
			return nil
		}},
		{"database codes are A, S, N, V (first letters of all, simbad, ned, vizier)", astropyNameResolve, func() error {
			for _, db := range []string{"A", "S", "N", "V"} {
				if _, err := NewSesame(SesameOptions{Databases: db}); err != nil {
					return err
				}
			}
			if _, err := NewSesame(SesameOptions{Databases: "Q"}); err == nil {
				return errors.New("Q accepted")
			}
			return nil
		}},
		{"query {base}/-ox/{codes}?{name}, space as %20", saaoTargetPosition, func() error {
			s, _ := NewSesame(SesameOptions{Databases: "SNV"})
			if u := s.queryURL(base, "A Nice Target"); u != "http://mock.example/cgi-bin/nph-sesame/-ox/SNV?A%20Nice%20Target" {
				return errors.New(u)
			}
			return nil
		}},
		{"a '+' in a name is encoded (it would read as a space)", starlinkResolver, func() error {
			s, _ := NewSesame(SesameOptions{Databases: "S"})
			if u := s.queryURL(base, "BD+28 4211"); u != "http://mock.example/cgi-bin/nph-sesame/-ox/S?BD%2B28%204211" {
				return errors.New(u)
			}
			return nil
		}},
		{"position in <Resolver><jradeg>/<jdedeg>, degrees with sign and leading zeros", saaoTargetPosition, func() error {
			ts, err := ParseSesame("X", sesameReply(`<Resolver name="V1=VizieR (CDS)"><jradeg>000.3998923642</jradeg><jdedeg>+05.982345</jdedeg></Resolver>`))
			if err != nil || ts[0].RA != 0.3998923642 || ts[0].Dec != 5.982345 || ts[0].Database != "VizieR" {
				return errors.Join(err, errors.New("wrong position or database"))
			}
			return nil
		}},
		{"<oname> is the main identifier, <otype> the object type", saaoTargetPosition, func() error {
			ts, err := ParseSesame("X", sesameReply(`<Resolver name="S=Simbad"><otype>G</otype><jradeg>1</jradeg><jdedeg>2</jdedeg><oname>{HIP} 123</oname></Resolver>`))
			if err != nil || ts[0].Object != "{HIP} 123" || ts[0].Type != "G" {
				return errors.Join(err, errors.New("oname/otype not read"))
			}
			return nil
		}},
		{"not found: <Target><INFO>*** Nothing found ***</INFO> with no Resolver", saaoTargetPosition, func() error {
			_, err := ParseSesame("X", sesameReply(`<INFO>*** Nothing found ***</INFO>`))
			if !errors.Is(err, ErrNotFound) {
				return errors.Join(errors.New("not ErrNotFound"), err)
			}
			return nil
		}},
		{"the root element is <Sesame>", starlinkResolver, func() error {
			_, err := ParseSesame("X", []byte(`<VOTABLE><Resolver><jradeg>1</jradeg><jdedeg>2</jdedeg></Resolver></VOTABLE>`))
			if !errors.Is(err, ErrBadReply) {
				return errors.Join(errors.New("other root accepted"), err)
			}
			return nil
		}},
		{"<ERROR> reports a failure", starlinkResolver, func() error {
			_, err := ParseSesame("X", sesameReply(`<Resolver name="S=Simbad"><ERROR>down</ERROR></Resolver>`))
			if !errors.Is(err, ErrBadReply) {
				return errors.Join(errors.New("ERROR not reported"), err)
			}
			return nil
		}},
	} {
		if err := c.check(); err != nil {
			t.Errorf("%s (%s): %v", c.fact, c.source, err)
		}
	}
}
