package subscribe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/arcsecond-go/arcsecond/activities"
)

func TestParseSubscriptionErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"id":"a","criteria":{}}`, `criteria: empty: it would match every activity`},
		{`{"id":"a","criteria":{"regions":[{"ra":10,"dec":95,"radius":1}]}}`, `criteria.regions[0].dec: 95 is outside [-90, 90]`},
		{`{"id":"a","criteria":{"regions":[{"ra":10,"dec":5,"radius":0}]}}`, `criteria.regions[0].radius: 0 must be > 0`},
		{`{"id":"a","criteria":{"regions":[{"ra":10,"dec":5,"radius":-1}]}}`, `criteria.regions[0].radius: -1 must be > 0`},
		{`{"id":"a","criteria":{"regions":[{"ra":10,"dec":5}]}}`, `missing radius`},
		{`{"id":"a","criteria":{"regions":[{"polygon":[[0,0],[1,1]]}]}}`, `needs at least 3 vertices`},
		{`{"id":"a","criteria":{"programs":["x"]}}`, `unknown field "programs"`},
		{`{"id":"a","criteria":{"kinds":["done"]}}`, `criteria.kinds[0]: "done" is not one of`},
		{`{"id":"a","criteria":{"programmes":["*"]}}`, `a prefix needs at least one character`},
		{`{"id":"a","criteria":{"programmes":["0104*.D"]}}`, `only a trailing * is allowed`},
		{`{"id":"a","criteria":{"targets":["M31\\"]}}`, `unescaped backslash`},
		{`{"id":"a","criteria":{"after":"2026-01-02T00:00:00Z","before":"2026-01-01T00:00:00Z"}}`, `is not after`},
		{`{"id":"","criteria":{"sources":["eso"]}}`, `id: empty`},
		{`{"id":"a","criteria":{"sources":["eso"]},"delivery":{"webhook":{"url":"ftp://x"}}}`, `scheme "ftp"`},
		{`{"id":"a","criteria":{"sources":["eso"]},"delivery":{"webhook":{"url":"https://x","secrets":["abc"]}}}`, `must start with "whsec_"`},
		{`{"id":"a","criteria":{"sources":["eso"]},"delivery":{"email":{"to":"not an address"}}}`, `is not a plain e-mail address`},
		{`{"id":"a","criteria":{"sources":["eso"]},"delivery":{"email":{"to":"a@b.org","digest":"1s"}}}`, `outside 1m..744h`},
		{`{"id":"a","criteria":{"sources":["eso"]}} {}`, `trailing data`},
		{`[1]`, `cannot unmarshal`},
		{`{"id":"a","criteria":{"bands":["blue"]}}`, `criteria.bands[0]: "blue" is not a band; known bands: radio,`},
		{`{"id":"a","criteria":{"bands":["X-ray"]}}`, `criteria.bands[0]: "X-ray": write band names in lower case`},
		{`{"id":"a","criteria":{"bands":[{"min_wavelength_m":2,"max_wavelength_m":1}]}}`, `criteria.bands[0]: min 2 m is above max 1 m`},
		{`{"id":"a","criteria":{"bands":[{"min_energy_kev":0,"max_energy_kev":1}]}}`, `criteria.bands[0]: bounds 0 and 1 keV must be finite and positive`},
		{`{"id":"a","criteria":{"bands":[{"min_energy_kev":1}]}}`, `a range needs both min_energy_kev and max_energy_kev`},
		{`{"id":"a","criteria":{"bands":[{"min_energy_kev":1,"max_energy_kev":2,"min_frequency_hz":1,"max_frequency_hz":2}]}}`, `one pair of bounds`},
		{`{"id":"a","criteria":{"bands":[{"min_kev":1,"max_kev":2}]}}`, `unknown field "min_kev"`},
	} {
		_, err := ParseSubscription([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.in, err, c.want)
		}
	}
	_, err := ParseSubscription([]byte(`{"id":"a","criteria":{"regions":[{"ra":400,"dec":5,"radius":1}]}}`))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "criteria.regions[0].ra" {
		t.Errorf("want a *FieldError naming criteria.regions[0].ra, got %v", err)
	}
}

var validSubs = []string{
	`{"id":"all","match_all":true,"criteria":{}}`,
	`{"id":"hst-start","criteria":{"facilities":["HST"],"kinds":["started"]},"delivery":{"live":true}}`,
	`{"id":"eso-prog","owner":"u1","criteria":{"programmes":["0104.D-0123","0105.C-*"]},
	  "delivery":{"webhook":{"url":"https://example.org/hook","secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]},"rate_per_hour":10}}`,
	`{"id":"smith","criteria":{"observers":["Müller","J. Smith"],"targets":["NGC 1068","m 3?"]},
	  "delivery":{"email":{"to":"a@example.org","digest":"24h"}}}`,
	`{"id":"sky","criteria":{"regions":[{"ra":359.9,"dec":-89.5,"radius":0.0003},{"polygon":[[10,10],[11,10],[11,11],[10,11]]}],
	  "after":"2026-01-01T00:00:00Z","before":"2027-01-01T00:00:00Z","sources":["eso"],"instruments":["MUSE"]}}`,
	`{"id":"bands","criteria":{"bands":["xray","near infrared",{"min_wavelength_m":1e-7,"max_wavelength_m":3e-7},
	  {"min_energy_kev":0.3,"max_energy_kev":10},{"min_frequency_hz":1e9,"max_frequency_hz":2e9}]}}`,
}

// TestBandSchemaAgreesWithValidate checks that the schema's band names are
// exactly the names and aliases Validate accepts, and that both refuse
// the same variants.
func TestBandSchemaAgreesWithValidate(t *testing.T) {
	sch := compiledSchema(t)
	var names []string
	for _, b := range activities.Bands() {
		names = append(names, b.Name)
		names = append(names, b.Aliases...)
	}
	for _, n := range append(names, "X-ray", " xray", "blue", "", "xrays", "Gamma") {
		doc := fmt.Sprintf(`{"id":"a","criteria":{"bands":[%q]}}`, n)
		_, goErr := ParseSubscription([]byte(doc))
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		schErr := sch.Validate(v)
		if (goErr == nil) != (schErr == nil) {
			t.Errorf("band %q: Validate says %v, the schema %v", n, goErr, schErr)
		}
		if slices.Contains(names, n) && goErr != nil {
			t.Errorf("band %q refused: %v", n, goErr)
		}
	}
}

// compiledSchema compiles the package's JSON Schema.
func compiledSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("subscription.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("subscription.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestSchemaAcceptsValidAndRoundTrip(t *testing.T) {
	sch := compiledSchema(t)
	for _, in := range validSubs {
		s, err := ParseSubscription([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []string{in, string(out)} {
			v, err := jsonschema.UnmarshalJSON(strings.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("schema rejects %s: %v", b, err)
			}
		}
		s2, err := ParseSubscription(out)
		if err != nil {
			t.Fatalf("re-parsing %s: %v", out, err)
		}
		out2, _ := json.Marshal(s2)
		if !bytes.Equal(out, out2) {
			t.Errorf("round trip changed %s into %s", out, out2)
		}
	}
}

func TestNameAndTargetFolding(t *testing.T) {
	for _, c := range []struct {
		sub, act string
		want     bool
	}{
		{"Müller", "Mueller, K.", true}, {"Müller", "Muller", true}, {"Mueller", "Müller", true},
		{"Muller", "Müller, A.", true}, {"Mueller", "Muller", false}, {"J. Smith", "Smith, John", true},
		{"J. Smith", "Smith, Anna", false}, {"Smith", "A. Smith", true}, {"van der Berg", "van der Berg, A.", true},
		{"Ødegaard", "odegaard", true}, {"García", "GARCIA, M.", true},
	} {
		got := false
		for _, s := range parseName(c.sub) {
			for _, a := range parseName(c.act) {
				got = got || namesMatch(s, a)
			}
		}
		if got != c.want {
			t.Errorf("observer %q vs %q: %v, want %v", c.sub, c.act, got, c.want)
		}
	}
	for _, c := range []struct {
		pat, name string
		want      bool
	}{
		{"NGC 1068", "NGC1068", true}, {"ngc*", "NGC 224", true}, {"?GC 1068", "NGC 1068", true},
		{"*1068", "NGC 1068", true}, {"Sgr A\\*", "Sgr A*", true}, {"Sgr A\\*", "Sgr A", false},
		{"M 3?", "M31", true}, {"M 3?", "M3", false}, {"*a*b*", "xaxxbx", true}, {"*a*b", "xaxxbx", false},
		{"eta car*", "Eta_Carinae", true},
	} {
		g, err := compileGlob(c.pat)
		if err != nil {
			t.Fatal(err)
		}
		if got := g.match(targetKey(c.name)); got != c.want {
			t.Errorf("target %q vs %q: %v, want %v", c.pat, c.name, got, c.want)
		}
	}
}

func FuzzParseSubscription(f *testing.F) {
	for _, s := range validSubs {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"id":"a","criteria":{"regions":[{"polygon":[[0,0],[0,0],[1,1]]}]}}`))
	f.Add([]byte(`{"id":"a","criteria":{"targets":["\\"]}}`))
	m := NewMatcher()
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSubscription(b)
		if err != nil {
			if s != nil {
				t.Fatal("error with a subscription")
			}
			return
		}
		if err := m.Add(s); err != nil {
			t.Fatalf("valid subscription refused by the matcher: %v", err)
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseSubscription(out); err != nil {
			t.Fatalf("re-encoding %s is invalid: %v", out, err)
		}
		m.Remove(s.ID)
	})
}

// TestTargetKeyASCIIPath checks the one-pass ASCII path of targetKey
// against the general folding on random ASCII names.
func TestTargetKeyASCIIPath(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	const alphabet = "aZ09 _\t\r\n\v\f*?-+.()NGCngc"
	for i := range 20000 {
		b := make([]byte, r.IntN(70))
		for j := range b {
			if i%5 == 0 {
				b[j] = byte(r.IntN(128))
			} else {
				b[j] = alphabet[r.IntN(len(alphabet))]
			}
		}
		if got, want := targetKey(string(b)), targetKeyFold(string(b)); got != want {
			t.Fatalf("targetKey(%q) = %q, the general path gives %q", b, got, want)
		}
	}
}

// TestGlobFastPaths checks the patterns compiled directly (a name, or a
// name followed by "*") against the general compiler, on random patterns
// and names.
func TestGlobFastPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 15))
	const alphabet = "ngc 1068_*?\\MAB"
	for range 20000 {
		b := make([]byte, 1+r.IntN(8))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		p := string(b)
		fast, errF := compileGlob(p)
		general, errG := compileGlobGeneral(p)
		if (errF == nil) != (errG == nil) {
			t.Fatalf("pattern %q: errors differ: %v vs %v", p, errF, errG)
		}
		if errF != nil {
			continue
		}
		if fast.prefix != general.prefix || fast.literal != general.literal || fast.star != general.star {
			t.Fatalf("pattern %q: fast %+v, general %+v", p, fast, *general)
		}
		for range 5 {
			nb := make([]byte, r.IntN(10))
			for j := range nb {
				nb[j] = "ngc1068mab"[r.IntN(10)]
			}
			name := targetKey(fast.prefix + string(nb))
			if r.IntN(3) == 0 {
				name = targetKey(string(nb))
			}
			if fast.match(name) != general.match(name) {
				t.Fatalf("pattern %q, name %q: fast %v, general %v", p, name, fast.match(name), general.match(name))
			}
		}
	}
}

func TestWebhookHost(t *testing.T) {
	for h, ok := range map[string]bool{
		"example.org": true, "EXAMPLE.org.": true, "例え.jp": true, "xn--r8jz45g.jp": true, "my_host.internal": true,
		"127.0.0.1": true, "[::1]": true, "[fe80::1%25eth0]": true, "localhost:8080": true,
		"\xff000000": false, "a..b": false, "a%20b": false, strings.Repeat("a", 64) + ".org": false,
		strings.Repeat("abcdefghi.", 26) + "org": false, "-a.org": false, "a\u200db.org": false,
	} {
		s := Subscription{ID: "h", MatchAll: true, Delivery: Delivery{Webhook: &WebhookTarget{URL: "https://" + h + "/hook", Secrets: []string{NewSecret()}}}}
		err := s.Validate()
		if ok != (err == nil) {
			t.Errorf("host %q: valid %v, got %v", h, ok, err)
		}
		if err != nil && !strings.Contains(err.Error(), "delivery.webhook.url") {
			t.Errorf("host %q: error does not name the field: %v", h, err)
		}
	}
}

func TestSubscriptionIDCharacters(t *testing.T) {
	sch := compiledSchema(t)
	for id, ok := range map[string]bool{"a": true, "Müller's alerts #1": true, "a/b?c": true, "a\nb": false, "a\x00": false, "\xff": false, "\u0085x": false} {
		s := Subscription{ID: id, MatchAll: true}
		err := s.Validate()
		if ok != (err == nil) {
			t.Errorf("id %q: valid %v, got %v", id, ok, err)
		}
		if !utf8.ValidString(id) {
			continue // not representable in JSON
		}
		b, _ := json.Marshal(map[string]any{"id": id, "match_all": true, "criteria": map[string]any{}})
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); ok != (err == nil) {
			t.Errorf("id %q: the schema disagrees with Validate: %v", id, err)
		}
	}
}
