package obsloctap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// SkipSuperseded counts rows replaced by a later row (t_planning) of the
// same observation in the same reply.
const SkipSuperseded = "superseded by a later row of the same observation"

// ParseReply converts a recorded reply of an ivoa.obsplan query into
// activities with c: a TAP reply (VOTable or CSV), or a JSON array of row
// objects as Rubin's /obsloctap/schedule returns by default. Rows of the
// same activity ID are collapsed to the one with the highest revision
// (the others counted under [SkipSuperseded]). A VOTable's OVERFLOW sets
// Truncated; a QUERY_STATUS ERROR is an error carrying the service's
// message.
func ParseReply(b []byte, c *Converter) (*connectors.Reply, error) {
	res := &connectors.Reply{}
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: c.Source, What: "an ObsLocTAP reply (VOTable, CSV or JSON)", Title: title}
	}
	t := bytes.TrimLeft(b, " \t\r\n\ufeff")
	var err error
	switch {
	case obscore.IsVOTable(t):
		err = parseVOTable(b, c, res)
	case len(t) > 0 && (t[0] == '[' || t[0] == '{'):
		err = parseJSON(t, c, res)
	default:
		err = parseCSV(b, c, res)
	}
	if err != nil {
		return nil, err
	}
	res.Activities = Collapse(res.Activities, res)
	return res, nil
}

func add(bind *Binding, rec obscore.Record, res *connectors.Reply) error {
	res.Records++
	a, skip, err := bind.Convert(rec, res)
	if err != nil {
		return fmt.Errorf("record %d: %w", res.Records, err)
	}
	if skip != "" {
		res.Skip(skip)
		return nil
	}
	res.Activities = append(res.Activities, a)
	return nil
}

func parseVOTable(b []byte, c *Converter, res *connectors.Reply) error {
	vr := votable.NewReader(bytes.NewReader(b), votable.Options{})
	defer vr.Close()
	t, err := vr.NextTable()
	if err != nil {
		if st, ok := vr.QueryStatus(); ok && strings.EqualFold(st.Value, "ERROR") {
			return fmt.Errorf("service error: %s", strings.TrimSpace(st.Content))
		}
		return fmt.Errorf("VOTable reply: %w", err)
	}
	bind, err := c.bind(obscore.VOTableColumns(t), res)
	if err != nil {
		return err
	}
	for row, err := range vr.Rows() {
		if err != nil {
			return fmt.Errorf("VOTable reply, row %d: %w", res.Records+1, err)
		}
		if err := add(bind, obscore.VOTableRecord(row), res); err != nil {
			return err
		}
	}
	vr.Close()
	if st, ok := vr.QueryStatus(); ok && strings.EqualFold(st.Value, "ERROR") {
		return fmt.Errorf("service error after %d rows: %s", res.Records, strings.TrimSpace(st.Content))
	}
	if vr.Overflow() {
		res.Truncated, res.Limit = true, res.Records
	}
	return nil
}

func parseCSV(b []byte, c *Converter, res *connectors.Reply) error {
	cols, rows, err := obscore.ReadCSV(bytes.NewReader(b))
	if err != nil {
		return err
	}
	bind, err := c.bind(cols, res)
	if err != nil {
		return err
	}
	for rec, err := range rows {
		if err != nil {
			return err
		}
		if err := add(bind, rec, res); err != nil {
			return err
		}
	}
	return nil
}

// parseJSON reads an array of objects, one per row, keyed by column name
// (the default format of Rubin's /obsloctap/schedule). Column order is the
// union of the objects' keys, sorted; numbers keep their text.
func parseJSON(b []byte, c *Converter, res *connectors.Reply) error {
	var rows []map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&rows); err != nil {
		return fmt.Errorf("JSON reply: want an array of row objects: %w", err)
	}
	seen := map[string]bool{}
	var names []string
	for _, r := range rows {
		for k := range r {
			if !seen[k] {
				seen[k] = true
				names = append(names, k)
			}
		}
	}
	slices.Sort(names)
	bind, err := c.bind(obscore.NewColumns(names), res)
	if err != nil {
		return err
	}
	cells := make([]string, len(names))
	for i, r := range rows {
		for j, n := range names {
			s, err := jsonCell(r[n])
			if err != nil {
				return &connectors.SchemaError{Source: c.Source, Column: n, Reason: fmt.Sprintf("row %d: %v", i+1, err)}
			}
			cells[j] = s
		}
		if err := add(bind, obscore.CSVRecord(cells), res); err != nil {
			return err
		}
	}
	return nil
}

// jsonCell writes a JSON scalar as a cell's text: strings unquoted,
// numbers as written, null and absent as "". Objects and arrays are
// errors, except an array of numbers (a DALI polygon), written
// space-separated.
func jsonCell(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return s, nil
	case '[':
		var fs []float64
		if err := json.Unmarshal(raw, &fs); err != nil {
			return "", fmt.Errorf("an array that is not a list of numbers")
		}
		parts := make([]string, len(fs))
		for i, f := range fs {
			parts[i] = strconv.FormatFloat(f, 'g', -1, 64)
		}
		return strings.Join(parts, " "), nil
	case '{':
		return "", fmt.Errorf("an object where a value was expected")
	case 't', 'f':
		return string(raw), nil
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsInf(f, 0) {
		return "", fmt.Errorf("not a JSON value: %.40q", raw)
	}
	return string(raw), nil
}

// Collapse keeps, of the activities sharing an ID, the one with the
// highest revision (the later in the list on a tie), in the order of
// first appearance; each one dropped is counted in res (when not nil)
// under [SkipSuperseded].
func Collapse(acts []activities.Activity, res *connectors.Reply) []activities.Activity {
	at := make(map[string]int, len(acts))
	out := acts[:0:0]
	for _, a := range acts {
		i, dup := at[a.ID]
		if !dup {
			at[a.ID] = len(out)
			out = append(out, a)
			continue
		}
		if res != nil {
			res.Skip(SkipSuperseded)
		}
		if a.Revision >= out[i].Revision {
			out[i] = a
		}
	}
	return out
}
