package tap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// maxErrorBytes bounds how much of an error response is read.
const maxErrorBytes = 1 << 20

// maxMessage bounds the server message kept in an error.
const maxMessage = 4000

// ServiceError is a failure reported by the TAP service itself: an HTTP
// error status, a DALI error document (a VOTable whose QUERY_STATUS INFO is
// ERROR), or a UWS job that ended in ERROR. Message is always the server's
// own text when it gave one.
type ServiceError struct {
	Op         string // what the client was doing, e.g. "sync query"
	URL        string // the endpoint, without credentials or query string
	StatusCode int    // HTTP status; 0 when the error came from a job or a 200 document
	Status     string // QUERY_STATUS value or UWS phase, when known
	Message    string // the server's message
	JobID      string // for errors of async jobs
}

func (e *ServiceError) Error() string {
	var b strings.Builder
	b.WriteString("tap: ")
	b.WriteString(e.Op)
	if e.JobID != "" {
		fmt.Fprintf(&b, " (job %s)", e.JobID)
	}
	if e.URL != "" {
		fmt.Fprintf(&b, " at %s", e.URL)
	}
	b.WriteString(" failed")
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	if e.Status != "" && e.Status != "ERROR" {
		fmt.Fprintf(&b, " (%s)", e.Status)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Temporary reports whether retrying later may succeed (HTTP 429, 502, 503
// and 504).
func (e *ServiceError) Temporary() bool {
	switch e.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// ErrorMessage extracts the server's message from an error document: a
// DALI VOTable (the text of the INFO named QUERY_STATUS, whatever its
// position), another XML document (its text), HTML (its text) or plain text.
// The result is trimmed and bounded in length. status is the QUERY_STATUS
// value when the document was a VOTable.
func ErrorMessage(body []byte, contentType string) (msg, status string) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return "", ""
	}
	ct := strings.ToLower(contentType)
	looksXML := trimmed[0] == '<'
	if looksXML || strings.Contains(ct, "xml") {
		if m, st, ok := votableErrorMessage(trimmed); ok {
			return clip(m), st
		}
		if t := xmlText(trimmed); t != "" {
			return clip(t), ""
		}
	}
	return clip(string(trimmed)), ""
}

// votableErrorMessage scans a VOTable for INFO name="QUERY_STATUS". It
// reports ok=false when the document is not a VOTable or has no such INFO.
func votableErrorMessage(doc []byte) (msg, status string, ok bool) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.CharsetReader = charsetReader
	isVOT := false
	depth := 0
	var inStatus bool
	var text strings.Builder
	var best, bestStatus string
	found := false
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxDepth {
				return "", "", false
			}
			if depth == 1 {
				isVOT = strings.EqualFold(t.Name.Local, "VOTABLE")
				if !isVOT {
					return "", "", false
				}
			}
			if t.Name.Local == "INFO" && attrValue(t.Attr, "name") == "QUERY_STATUS" {
				inStatus = true
				text.Reset()
				st := attrValue(t.Attr, "value")
				// The last ERROR wins; otherwise the last status seen.
				if !found || st == "ERROR" || bestStatus != "ERROR" {
					bestStatus = st
					best = ""
					found = true
				}
			}
		case xml.EndElement:
			depth--
			if inStatus && t.Name.Local == "INFO" {
				inStatus = false
				if bestStatus == "ERROR" || best == "" {
					best = strings.TrimSpace(text.String())
				}
			}
		case xml.CharData:
			if inStatus {
				text.Write(t)
			}
		}
	}
	if !isVOT || !found {
		return "", "", false
	}
	return best, bestStatus, true
}

func attrValue(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// xmlText returns the whitespace-collapsed character content of an XML or
// HTML document (script and style elements skipped).
func xmlText(doc []byte) string {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	var b strings.Builder
	skip := 0
	for b.Len() < maxMessage*2 {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch strings.ToLower(t.Name.Local) {
			case "script", "style", "head":
				skip++
			}
		case xml.EndElement:
			switch strings.ToLower(t.Name.Local) {
			case "script", "style", "head":
				if skip > 0 {
					skip--
				}
			}
		case xml.CharData:
			if skip == 0 {
				b.Write(t)
				b.WriteByte(' ')
			}
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// clip bounds a message and makes it valid UTF-8.
func clip(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + " …"
	}
	return s
}

// errorFromResponse builds a ServiceError from a non-success response,
// reading (a bounded part of) its body for the server's message.
func errorFromResponse(op string, resp *http.Response) error {
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
	msg, status := ErrorMessage(body, resp.Header.Get("Content-Type"))
	e := &ServiceError{Op: op, URL: redactURL(resp.Request.URL.String()), StatusCode: resp.StatusCode, Status: status, Message: msg}
	if rerr != nil && msg == "" {
		e.Message = "(error body unreadable: " + rerr.Error() + ")"
	}
	return e
}

// ErrOverflow is wrapped by errors reporting that a result was truncated
// at MAXREC (or the service's limit), when the caller asked for that to be
// an error.
var ErrOverflow = errors.New("result truncated by the service's row limit (QUERY_STATUS OVERFLOW)")
