package arcsecond

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/auth"
)

// PublishResult is the answer to POST /api/activities.
type PublishResult struct {
	// Received counts the activities of the body; Announced those that
	// were new or new revisions.
	Received  int `json:"received"`
	Announced int `json:"announced"`
}

// publishActivities records the activities a publisher POSTs: JSON Lines
// (Content-Type application/x-ndjson or application/jsonl), one activity a
// line in the encoding of activities/activity.schema.json, each valid and
// of the publisher's own source. The body is taken whole or not at all.
func (n *Node) publishActivities(w http.ResponseWriter, r *http.Request) {
	id := auth.FromContext(r.Context())
	if n.auth == nil || id == nil {
		writeJSON(w, http.StatusForbidden, apiError{Error: "publishing needs a node with accounts and a publisher key"})
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-ndjson" && mt != "application/jsonl" {
		writeJSON(w, http.StatusUnsupportedMediaType, apiError{Error: fmt.Sprintf("Content-Type %q: send JSON Lines as application/x-ndjson or application/jsonl", mt)})
		return
	}
	max := n.auth.o.MaxPublishBytes
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: fmt.Sprintf("body larger than %d bytes", max)})
		return
	}
	if err != nil {
		badRequest(w, "", "reading the body: %v", err)
		return
	}
	var acts []activities.Activity
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, len(body)+1)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if len(acts) == n.auth.o.MaxPublishLines {
			writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: fmt.Sprintf("more than %d activities", n.auth.o.MaxPublishLines)})
			return
		}
		var a activities.Activity
		if err := json.Unmarshal(b, &a); err != nil {
			badRequest(w, "", "line %d: %v", line, err)
			return
		}
		if err := a.Validate(); err != nil {
			var fe *activities.FieldError
			field := ""
			if errors.As(err, &fe) {
				field = fe.Field
			}
			badRequest(w, field, "line %d: %v", line, err)
			return
		}
		if !id.CanPublish(a.Source) {
			writeJSON(w, http.StatusForbidden, apiError{Error: fmt.Sprintf("line %d: this key publishes for source %q only, not %q", line, id.Source, a.Source), Field: "source"})
			return
		}
		acts = append(acts, a)
	}
	if len(acts) == 0 {
		badRequest(w, "", "no activity in the body")
		return
	}
	k, err := n.feed.Ingest(r.Context(), acts...)
	if err != nil {
		if r.Context().Err() == nil {
			n.log.Error("publishing activities", "owner", id.Owner, "err", err)
			writeJSON(w, http.StatusInternalServerError, apiError{Error: "storing the activities failed"})
		}
		return
	}
	n.log.Info("activities published", "owner", id.Owner, "source", id.Source, "received", len(acts), "announced", k)
	writeJSON(w, http.StatusOK, PublishResult{Received: len(acts), Announced: k})
}
