package gemini

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/arcsecond-go/arcsecond/activities"
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
