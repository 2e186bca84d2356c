package obscore

import (
	"encoding/csv"
	"os"
	"slices"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
)

// TestProfileContract: obs_creator_name is mapped per service profile. Each
// row names the column and the source saying what the service puts in it.
func TestProfileContract(t *testing.T) {
	const (
		obscoreStd = "IVOA ObsCore 1.1 §4.5 (https://www.ivoa.net/documents/ObsCore/20170509/REC-ObsCore-v1.1-20170509.pdf): obs_creator_name is the name of the creator of the data"
		almaCore   = "astropy/astroquery@2e8c636ba874bd33258100e6766d04c94fe2fca8:astroquery/alma/core.py ('obs_creator_name': 'PI name', 'proposal_authors': 'Proposal authors', 'band_list': 'Band')"
		esoData    = "astropy/astroquery@2e8c636ba874bd33258100e6766d04c94fe2fca8:astroquery/eso/tests/data/query_coll_vvv_sgra.csv (real ESO ivoa.ObsCore rows of proposal 179.B-2002, obs_creator_name 'MINNITI, DANTE', the VVV survey's PI)"
	)
	cols, row := almaRow(t)
	for _, tc := range []struct {
		column, cite string
		profile      Profile
		check        func(t *testing.T, pi string, inv []string, filter string)
	}{
		{"obs_creator_name (generic: a creator, not the PI)", obscoreStd, GenericProfile, func(t *testing.T, pi string, inv []string, _ string) {
			if pi != "" || !slices.Equal(inv, []string{"Koda, Jin"}) {
				t.Errorf("PI %q, investigators %q: want no PI and the creator listed", pi, inv)
			}
		}},
		{"obs_creator_name (eso: the PI)", esoData, ESOProfile, func(t *testing.T, pi string, _ []string, _ string) {
			if pi != "Koda, Jin" {
				t.Errorf("PI %q", pi)
			}
		}},
		{"obs_creator_name, proposal_authors, band_list (alma)", almaCore, ALMAProfile, func(t *testing.T, pi string, inv []string, filter string) {
			if pi != "Koda, Jin" || len(inv) < 20 || inv[0] != "Oka, Tomoharu" || slices.Contains(inv, "Koda, Jin") || filter != "Band 3" {
				t.Errorf("PI %q, %d investigators (first %q), filter %q", pi, len(inv), inv[0], filter)
			}
		}},
	} {
		t.Run(tc.profile.Name, func(t *testing.T) {
			t.Logf("%s: %s", tc.column, tc.cite)
			c := &Converter{Source: "alma", Observatory: "ALMA", Profile: tc.profile}
			res := &connectors.Reply{}
			b, err := c.Bind(cols, res)
			if err != nil {
				t.Fatal(err)
			}
			a, skip, err := b.Convert(CSVRecord(row), res)
			if err != nil || skip != "" {
				t.Fatalf("skip %q, %v", skip, err)
			}
			tc.check(t, a.Programme.PI, a.Programme.Investigators, a.Filter)
			if err := a.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
	if _, ok := LookupProfile("nope"); ok {
		t.Error("unknown profile found")
	}
}

// almaRow reads testdata/alma-onerow.txt, astroquery's one-row ALMA ObsCore
// result written as a space-separated table with quoted strings.
func almaRow(t *testing.T) (Columns, []string) {
	f, err := os.Open("testdata/alma-onerow.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ' '
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 2 || len(rows[0]) != len(rows[1]) {
		t.Fatalf("alma-onerow.txt: %d rows, %v", len(rows), err)
	}
	return NewColumns(rows[0]), rows[1]
}

func TestSplitAuthors(t *testing.T) {
	for in, want := range map[string][]string{
		"":                              nil,
		"Koda, Jin":                     {"Koda, Jin"},
		"Oka, Tomoharu; Wu, Yu-Ting;":   {"Oka, Tomoharu", "Wu, Yu-Ting"},
		"Oka, Tomoharu, Wu, Yu-Ting":    {"Oka, Tomoharu", "Wu, Yu-Ting"},
		"Oka, Tomoharu; Oka, Tomoharu;": {"Oka, Tomoharu"},
	} {
		if got := splitAuthors(in); !slices.Equal(got, want) {
			t.Errorf("splitAuthors(%q) = %q, want %q", in, got, want)
		}
	}
}
