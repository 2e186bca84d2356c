package recorded

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/eso"
	"github.com/arcsecond-go/arcsecond/connectors/gemini"
	"github.com/arcsecond-go/arcsecond/connectors/hst"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
	"github.com/arcsecond-go/arcsecond/connectors/swift"
)

// The formats of the connectors in this repository. A connector added later
// registers its format with one line here, for example
//
//	Register(Parser{Name: "eso", Help: "...", Parse: fromResult(eso.ParseReply), Recognize: ...})
func init() {
	Register(Parser{
		Name: "gemini", Help: "Gemini archive jsonsummary reply (JSON array)",
		Parse: fromResult(gemini.ParseJSONSummary),
		Recognize: func(p string, head []byte) bool {
			return isJSON(p) && startsWith(head, '[') && bytes.Contains(head, []byte(`"data_label"`))
		},
	})
	Register(Parser{
		Name: "hst-mast", Help: "MAST Mast.Caom.Filtered/Cone invoke reply (JSON)",
		Parse: func(b []byte) (*Reply, error) {
			rep, err := hst.ParseMAST(b)
			if err != nil {
				return nil, err
			}
			if rep.Result == nil {
				return nil, fmt.Errorf("MAST reply status %s: no rows yet", rep.Status)
			}
			return convert(rep.Result), nil
		},
		Recognize: func(p string, head []byte) bool {
			return isJSON(p) && startsWith(head, '{') && bytes.Contains(head, []byte(`"obs_collection"`))
		},
	})
	Register(Parser{
		Name: "hst-timeline", Help: "STScI weekly observing timeline (fixed-width text)",
		Parse: fromResult(hst.ParseTimeline),
		Recognize: func(p string, head []byte) bool {
			return !strings.HasSuffix(p, ".yaml") && bytes.Contains(head, []byte("HST  Observing  Timeline"))
		},
	})
	Register(Parser{
		Name: "swift-asflown", Help: "Swift API obsquery reply (JSON status + entries)",
		Parse: fromResult(func(b []byte) (*archive.Result, error) { return swift.ParseTimeline(b, swift.AsFlown) }),
		Recognize: func(p string, head []byte) bool {
			return swiftReply(p, head) && (strings.Contains(path.Base(p), "obsquery") || bytes.Contains(head, []byte(`"settle"`)))
		},
	})
	Register(Parser{
		Name: "swift-planned", Help: "Swift API planquery reply (JSON status + entries)",
		Parse:     fromResult(func(b []byte) (*archive.Result, error) { return swift.ParseTimeline(b, swift.Planned) }),
		Recognize: swiftReply,
	})
	Register(Parser{
		Name: "eso", Help: "ESO tap_obs reply (VOTable or CSV) of dbo.raw or ivoa.ObsCore",
		Parse: fromResult(eso.Parse),
		Recognize: func(p string, head []byte) bool {
			return isTable(p) && (bytes.Contains(head, []byte("dp_id")) || bytes.Contains(head, []byte("obs_creator_did")) && bytes.Contains(head, []byte("ivo://eso.org")))
		},
	})
	Register(Parser{
		Name: "obscore", Help: "ObsCore TAP reply (VOTable or CSV) of any service's ivoa.obscore",
		Parse: fromResult(func(b []byte) (*archive.Result, error) {
			return obscore.ParseReply(b, &obscore.Converter{Source: obscore.Name})
		}),
		Recognize: func(p string, head []byte) bool {
			return isTable(p) && bytes.Contains(head, []byte("obs_publisher_did"))
		},
	})
	Register(Parser{
		Name: "jsonl", Help: "activities in the SDK's own encoding, one JSON object a line",
		Parse: parseJSONL,
		Recognize: func(p string, head []byte) bool {
			return strings.HasSuffix(p, ".jsonl")
		},
	})
}

// isTable reports a VOTable or CSV file name.
func isTable(p string) bool {
	l := strings.ToLower(p)
	return strings.HasSuffix(l, ".xml") || strings.HasSuffix(l, ".vot") || strings.HasSuffix(l, ".csv")
}

func isJSON(p string) bool { return strings.HasSuffix(strings.ToLower(p), ".json") }

func startsWith(head []byte, c byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n\ufeff")
	return len(h) > 0 && h[0] == c
}

func swiftReply(p string, head []byte) bool {
	return isJSON(p) && startsWith(head, '{') && bytes.Contains(head, []byte(`"entries"`)) && bytes.Contains(head, []byte(`"obsid"`))
}

func fromResult(parse func([]byte) (*archive.Result, error)) func([]byte) (*Reply, error) {
	return func(b []byte) (*Reply, error) {
		r, err := parse(b)
		if err != nil {
			return nil, err
		}
		return convert(r), nil
	}
}

func convert(r *archive.Result) *Reply {
	return &Reply{Records: r.Records, Activities: r.Activities, Skipped: r.Skipped, Warnings: r.Warnings, Truncated: r.Truncated}
}

// parseJSONL reads activities in the documented encoding, one a line; a
// line that is not a valid activity is an error naming the line.
func parseJSONL(b []byte) (*Reply, error) {
	r := &Reply{Skipped: map[string]int{}, Warnings: map[string]int{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		r.Records++
		var a activities.Activity
		if err := json.Unmarshal(line, &a); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		r.Activities = append(r.Activities, a)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return r, nil
}
