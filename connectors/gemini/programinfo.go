package gemini

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// ErrNoProgramInfo is returned by [ParseProgramInfo] for the archive's page
// saying it has no information about a programme.
var ErrNoProgramInfo = errors.New("gemini: the archive has no information about this programme")

// ParseProgramInfo reads the archive's /programinfo/<id> HTML page: the
// programme's title, PI and co-investigators, which jsonsummary lacks.
func ParseProgramInfo(b []byte) (activities.Programme, error) {
	var p activities.Programme
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		return p, fmt.Errorf("gemini: programinfo: %w", err)
	}
	h1 := strings.TrimSpace(doc.Find("h1").First().Text())
	if id, ok := strings.CutPrefix(h1, "Program:"); ok {
		p.ID = strings.TrimSpace(id)
	}
	if strings.Contains(doc.Find("h2").Text(), "no information") {
		return p, ErrNoProgramInfo
	}
	found := false
	doc.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		tds := tr.Find("td")
		if tds.Length() < 2 {
			return
		}
		label := strings.TrimSpace(tds.Eq(0).Text())
		value := strings.Join(strings.Fields(tds.Eq(1).Text()), " ")
		switch label {
		case "Title:":
			p.Title = value
		case "PI:":
			p.PI = value
			found = true
		case "Co-I(s):":
			for _, n := range strings.Split(value, ",") {
				if n = strings.TrimSpace(n); n != "" {
					p.Investigators = append(p.Investigators, n)
				}
			}
		}
	})
	if !found {
		return p, fmt.Errorf("gemini: programinfo page has no \"PI:\" row (page layout changed?)")
	}
	if p.ID != "" {
		p.Type = programmeType(p.ID)
	}
	return p, nil
}

// ParseProgramInfoJSON reads the archive's /programinfojson/<id> reply:
// {"program_id", "not_found", "pi_name", "co_names", "title", ...}, whose
// strings the archive HTML-escapes (GeminiDRSoftware/FitsStorage@426e1308:
// fits_storage/web/program.py program_info_json). A reply with not_found
// true is ErrNoProgramInfo.
func ParseProgramInfoJSON(b []byte) (activities.Programme, error) {
	var r struct {
		ProgramID string `json:"program_id"`
		NotFound  *bool  `json:"not_found"`
		PIName    string `json:"pi_name"`
		CoNames   string `json:"co_names"`
		Title     string `json:"title"`
	}
	var p activities.Programme
	if err := json.Unmarshal(b, &r); err != nil {
		return p, &connectors.SchemaError{Source: Name, Column: "(programinfojson)", Reason: "not a JSON object: " + err.Error()}
	}
	if r.NotFound == nil {
		return p, &connectors.SchemaError{Source: Name, Column: "not_found", Reason: "missing from the programinfojson reply"}
	}
	p.ID = strings.TrimSpace(html.UnescapeString(r.ProgramID))
	if *r.NotFound {
		return p, ErrNoProgramInfo
	}
	p.Title = strings.Join(strings.Fields(html.UnescapeString(r.Title)), " ")
	p.PI = strings.Join(strings.Fields(html.UnescapeString(r.PIName)), " ")
	for _, n := range strings.Split(html.UnescapeString(r.CoNames), ",") {
		if n = strings.Join(strings.Fields(n), " "); n != "" {
			p.Investigators = append(p.Investigators, n)
		}
	}
	if p.ID != "" {
		p.Type = programmeType(p.ID)
	}
	return p, nil
}
