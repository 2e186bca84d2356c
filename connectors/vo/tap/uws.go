package tap

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
)

// Phase is the execution phase of a UWS job (UWS 1.1, section 2.1.3).
type Phase string

// The UWS phases.
const (
	PhasePending   Phase = "PENDING"
	PhaseQueued    Phase = "QUEUED"
	PhaseExecuting Phase = "EXECUTING"
	PhaseCompleted Phase = "COMPLETED"
	PhaseError     Phase = "ERROR"
	PhaseAborted   Phase = "ABORTED"
	PhaseUnknown   Phase = "UNKNOWN"
	PhaseHeld      Phase = "HELD"
	PhaseSuspended Phase = "SUSPENDED"
	PhaseArchived  Phase = "ARCHIVED"
)

// Final reports whether a job in this phase will not change phase again by
// itself.
func (p Phase) Final() bool {
	switch p {
	case PhaseCompleted, PhaseError, PhaseAborted, PhaseArchived:
		return true
	}
	return false
}

// Active reports whether the job is queued or running.
func (p Phase) Active() bool { return p == PhaseQueued || p == PhaseExecuting }

func parsePhase(s string) (Phase, error) {
	p := Phase(strings.ToUpper(strings.TrimSpace(s)))
	switch p {
	case PhasePending, PhaseQueued, PhaseExecuting, PhaseCompleted, PhaseError,
		PhaseAborted, PhaseUnknown, PhaseHeld, PhaseSuspended, PhaseArchived:
		return p, nil
	}
	return "", fmt.Errorf("unknown UWS phase %q", s)
}

// JobInfo is a UWS job description, as returned by GET {jobs}/{job-id}.
// Times that the service did not give are zero.
type JobInfo struct {
	Version           string // UWS version attribute ("" means 1.0)
	JobID             string
	RunID             string
	OwnerID           string
	Phase             Phase
	Quote             time.Time
	CreationTime      time.Time
	StartTime         time.Time
	EndTime           time.Time
	ExecutionDuration time.Duration // 0 means unlimited
	Destruction       time.Time
	Parameters        []Parameter
	Results           []ResultRef
	Error             *ErrorSummary // nil unless the service reported one
	JobInfo           []JobInfoItem // children of <jobInfo>, service specific
}

// Param returns the value of the parameter named id (case-insensitively,
// as TAP parameter names are) and whether it is present.
func (j *JobInfo) Param(id string) (string, bool) {
	for _, p := range j.Parameters {
		if strings.EqualFold(p.ID, id) {
			return p.Value, true
		}
	}
	return "", false
}

// Result returns the result with the given id, or nil.
func (j *JobInfo) Result(id string) *ResultRef {
	for i := range j.Results {
		if j.Results[i].ID == id {
			return &j.Results[i]
		}
	}
	return nil
}

// Parameter is one job parameter.
type Parameter struct {
	ID          string
	Value       string
	ByReference bool // the value is a URL
	IsPost      bool
}

// ResultRef is one job result: its id and where to fetch it.
type ResultRef struct {
	ID       string
	Href     string
	MimeType string
	Size     int64 // -1 when not given
}

// ErrorSummary is the summary of a failed job. The full message, when
// HasDetail is set, is at {job}/error.
type ErrorSummary struct {
	Type      string // "transient" or "fatal"
	HasDetail bool
	Message   string
}

// JobInfoItem is one child element of <jobInfo>, kept as name and text.
type JobInfoItem struct {
	Name string
	Text string
}

// JobRef is one entry of a UWS job list.
type JobRef struct {
	ID           string
	Href         string
	Phase        Phase
	RunID        string
	OwnerID      string
	CreationTime time.Time
}

// ParseJob reads a UWS job document (UWS 1.0 or 1.1, any namespace prefix).
// Unknown elements are ignored; a repeated single-valued element, an
// unknown phase or an unreadable time is an error naming the element.
func ParseJob(r io.Reader) (*JobInfo, error) {
	root, err := parseTree(r)
	if err != nil {
		return nil, fmt.Errorf("UWS job: %w", err)
	}
	if root.name != "job" {
		return nil, fmt.Errorf("UWS job: root element is <%s>, want <job>", root.name)
	}
	j, err := jobFromNode(root)
	if err != nil {
		return nil, fmt.Errorf("UWS job: %w", err)
	}
	return j, nil
}

func jobFromNode(root *node) (*JobInfo, error) {
	j := &JobInfo{Version: root.attr("version")}
	var err error
	text := func(name string) string {
		if err != nil {
			return ""
		}
		var s string
		s, err = root.childText(name)
		return s
	}
	j.JobID = text("jobId")
	j.RunID = text("runId")
	j.OwnerID = text("ownerId")
	phase := text("phase")
	quote := text("quote")
	creation := text("creationTime")
	start := text("startTime")
	end := text("endTime")
	duration := text("executionDuration")
	destruction := text("destruction")
	if err != nil {
		return nil, err
	}
	if j.JobID == "" {
		return nil, fmt.Errorf("no <jobId>")
	}
	if phase == "" {
		return nil, fmt.Errorf("job %s: no <phase>", j.JobID)
	}
	if j.Phase, err = parsePhase(phase); err != nil {
		return nil, fmt.Errorf("job %s: %w", j.JobID, err)
	}
	for _, f := range []struct {
		name string
		s    string
		t    *time.Time
	}{
		{"quote", quote, &j.Quote},
		{"creationTime", creation, &j.CreationTime},
		{"startTime", start, &j.StartTime},
		{"endTime", end, &j.EndTime},
		{"destruction", destruction, &j.Destruction},
	} {
		if *f.t, err = parseUWSTime(f.s); err != nil {
			return nil, fmt.Errorf("job %s: <%s>: %w", j.JobID, f.name, err)
		}
	}
	if duration != "" {
		secs, perr := strconv.ParseInt(duration, 10, 64)
		if perr != nil || secs < 0 || secs > int64(1<<62)/int64(time.Second) {
			return nil, fmt.Errorf("job %s: <executionDuration> %q is not a number of seconds", j.JobID, duration)
		}
		j.ExecutionDuration = time.Duration(secs) * time.Second
	}
	params, err := root.one("parameters")
	if err != nil {
		return nil, err
	}
	if params != nil {
		for _, p := range params.all("parameter") {
			j.Parameters = append(j.Parameters, Parameter{
				ID:          p.attr("id"),
				Value:       p.Text(),
				ByReference: p.attr("byReference") == "true",
				IsPost:      p.attr("isPost") == "true",
			})
		}
	}
	results, err := root.one("results")
	if err != nil {
		return nil, err
	}
	if results != nil {
		for _, r := range results.all("result") {
			ref := ResultRef{ID: r.attr("id"), Href: r.attr("href"), MimeType: r.attr("mime-type"), Size: -1}
			if s := r.attr("size"); s != "" {
				if n, perr := strconv.ParseInt(s, 10, 64); perr == nil && n >= 0 {
					ref.Size = n
				}
			}
			j.Results = append(j.Results, ref)
		}
	}
	es, err := root.one("errorSummary")
	if err != nil {
		return nil, err
	}
	if es != nil && es.attr("nil") != "true" {
		msg, err := es.childText("message")
		if err != nil {
			return nil, err
		}
		j.Error = &ErrorSummary{Type: es.attr("type"), HasDetail: es.attr("hasDetail") == "true", Message: msg}
	}
	info, err := root.one("jobInfo")
	if err != nil {
		return nil, err
	}
	if info != nil {
		for _, c := range info.children {
			j.JobInfo = append(j.JobInfo, JobInfoItem{Name: c.name, Text: c.Text()})
		}
	}
	return j, nil
}

// ParseJobList reads a UWS job list (<jobs> of <jobref>, or of full <job>
// elements as some services send).
func ParseJobList(r io.Reader) ([]JobRef, error) {
	root, err := parseTree(r)
	if err != nil {
		return nil, fmt.Errorf("UWS job list: %w", err)
	}
	if root.name != "jobs" {
		return nil, fmt.Errorf("UWS job list: root element is <%s>, want <jobs>", root.name)
	}
	var out []JobRef
	for _, c := range root.children {
		switch c.name {
		case "jobref":
			ref := JobRef{ID: c.attr("id"), Href: c.attr("href")}
			phase, err := c.childText("phase")
			if err != nil {
				return nil, fmt.Errorf("UWS job list: %w", err)
			}
			if phase != "" {
				if ref.Phase, err = parsePhase(phase); err != nil {
					return nil, fmt.Errorf("UWS job list: job %s: %w", ref.ID, err)
				}
			}
			ref.RunID, _ = c.childText("runId")
			ref.OwnerID, _ = c.childText("ownerId")
			ct, _ := c.childText("creationTime")
			if ref.CreationTime, err = parseUWSTime(ct); err != nil {
				return nil, fmt.Errorf("UWS job list: job %s: <creationTime>: %w", ref.ID, err)
			}
			out = append(out, ref)
		case "job":
			j, err := jobFromNode(c)
			if err != nil {
				return nil, fmt.Errorf("UWS job list: %w", err)
			}
			out = append(out, JobRef{ID: j.JobID, Phase: j.Phase, RunID: j.RunID, OwnerID: j.OwnerID, CreationTime: j.CreationTime})
		}
	}
	return out, nil
}

// parseUWSTime reads an xs:dateTime. Empty and the "-1" some services use
// for "no quote" give the zero time.
func parseUWSTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "-1" {
		return time.Time{}, nil
	}
	t, err := astro.ParseTimestamp(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date-time", s)
	}
	return t, nil
}
