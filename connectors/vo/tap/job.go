package tap

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Job is a handle on a UWS job of the service.
type Job struct {
	c   *Client
	url string
	id  string
}

// ID returns the job's identifier.
func (j *Job) ID() string { return j.id }

// URL returns the job's URL.
func (j *Job) URL() string { return j.url }

func (j *Job) op(what string) string { return what + " of job " + j.id }

// Info reads the job's description.
func (j *Job) Info(ctx context.Context) (*JobInfo, error) {
	return j.info(ctx, j.url)
}

func (j *Job) info(ctx context.Context, u string) (*JobInfo, error) {
	resp, err := j.c.get(ctx, j.op("status"), u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	info, err := ParseJob(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("tap: %s at %s: %w", j.op("status"), redactURL(j.url), err)
	}
	return info, nil
}

// Phase reads the job's phase ({job}/phase).
func (j *Job) Phase(ctx context.Context) (Phase, error) {
	resp, err := j.c.get(ctx, j.op("phase"), j.url+"/phase")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if err != nil {
		return "", &transportError{op: j.op("phase"), url: redactURL(j.url + "/phase"), err: err}
	}
	p, err := parsePhase(string(b))
	if err != nil {
		return "", fmt.Errorf("tap: %s: %w", j.op("phase"), err)
	}
	return p, nil
}

// post changes a job property with a POST to {job}/{sub}.
func (j *Job) post(ctx context.Context, what, sub string, v url.Values) error {
	u := j.url
	if sub != "" {
		u += "/" + sub
	}
	// UWS answers 303 to the job; following it would only re-read the job.
	resp, err := j.c.postForm(ctx, j.op(what), u, v, true, http.StatusSeeOther, http.StatusFound)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBytes))
	resp.Body.Close()
	return nil
}

// Run starts the job (PHASE=RUN).
func (j *Job) Run(ctx context.Context) error {
	return j.post(ctx, "start", "phase", url.Values{"PHASE": {"RUN"}})
}

// Abort aborts the job (PHASE=ABORT).
func (j *Job) Abort(ctx context.Context) error {
	return j.post(ctx, "abort", "phase", url.Values{"PHASE": {"ABORT"}})
}

// Delete destroys the job and its results: an HTTP DELETE, or a POST of
// ACTION=DELETE for services that refuse DELETE.
func (j *Job) Delete(ctx context.Context) error {
	resp, err := j.c.do(ctx, request{op: j.op("deletion"), method: http.MethodDelete, url: j.url, noRedirect: true,
		okStatuses: []int{http.StatusSeeOther, http.StatusFound}, acceptError: true})
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBytes))
	resp.Body.Close()
	switch {
	case resp.StatusCode/100 == 2 || resp.StatusCode/100 == 3 || resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil
	case resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusNotImplemented:
		return j.post(ctx, "deletion", "", url.Values{"ACTION": {"DELETE"}})
	}
	return &ServiceError{Op: j.op("deletion"), URL: redactURL(j.url), StatusCode: resp.StatusCode, JobID: j.id}
}

// SetExecutionDuration asks for a maximum run time (whole seconds; the
// service may grant less, see JobInfo.ExecutionDuration).
func (j *Job) SetExecutionDuration(ctx context.Context, d time.Duration) error {
	secs := int64((d + time.Second - 1) / time.Second)
	return j.post(ctx, "execution duration change", "executionduration", url.Values{"EXECUTIONDURATION": {strconv.FormatInt(secs, 10)}})
}

// SetDestruction asks for the job to be kept until t (the service may
// choose an earlier time, see JobInfo.Destruction).
func (j *Job) SetDestruction(ctx context.Context, t time.Time) error {
	return j.post(ctx, "destruction change", "destruction", url.Values{"DESTRUCTION": {t.UTC().Format(time.RFC3339)}})
}

// ErrorDocument fetches {job}/error and returns the service's message from
// it (a DALI VOTable or plain text).
func (j *Job) ErrorDocument(ctx context.Context) (string, error) {
	resp, err := j.c.get(ctx, j.op("error document"), j.url+"/error")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
	if err != nil {
		return "", &transportError{op: j.op("error document"), url: redactURL(j.url + "/error"), err: err}
	}
	msg, _ := ErrorMessage(body, resp.Header.Get("Content-Type"))
	return msg, nil
}

// Wait waits until the job reaches a final phase (COMPLETED, ERROR,
// ABORTED, ARCHIVED) or HELD/SUSPENDED, and returns its description. It
// long-polls with UWS 1.1 WAIT and falls back to polling with exponential
// backoff on services that answer at once. A job still PENDING after two
// looks is returned as it is (Wait does not start it; a service may also
// keep a job it was told to run PENDING for a while: call Wait again).
func (j *Job) Wait(ctx context.Context) (*JobInfo, error) { return j.wait(ctx, false) }

// wait is Wait; with started, PENDING counts as queued (the job was run).
func (j *Job) wait(ctx context.Context, started bool) (*JobInfo, error) {
	c := j.c
	delay := c.pollMin
	var info *JobInfo
	var err error
	for {
		start := time.Now()
		u := j.url
		if info != nil && (info.Phase.Active() || started && info.Phase == PhasePending) && c.longPoll > 0 {
			q := url.Values{"WAIT": {strconv.Itoa(int(c.longPoll / time.Second))}, "PHASE": {string(info.Phase)}}
			u += "?" + q.Encode()
		}
		prev := info
		info, err = j.info(ctx, u)
		if err != nil {
			return nil, err
		}
		if c.observer != nil {
			c.observer(info)
		}
		switch {
		case info.Phase.Final(), info.Phase == PhaseHeld, info.Phase == PhaseSuspended:
			return info, nil
		case info.Phase == PhasePending && prev == nil:
			// Just created and not started: queued run requests on some
			// services show PENDING briefly, so look again once.
		case info.Phase == PhasePending && prev != nil && prev.Phase == PhasePending && !started:
			return info, nil
		}
		longPolled := prev != nil && (prev.Phase.Active() || started && prev.Phase == PhasePending) && c.longPoll > 0
		if longPolled && (info.Phase != prev.Phase || time.Since(start) >= c.longPoll/2) {
			// The service honoured WAIT: ask again at once.
			delay = c.pollMin
			continue
		}
		// The service answered at once: back off before asking again.
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return info, fmt.Errorf("tap: waiting for job %s (phase %s): %w", j.id, info.Phase, ctx.Err())
		case <-t.C:
		}
		delay = min(delay*2, c.pollMax)
	}
}

// failure turns a job that did not complete into a *ServiceError carrying
// the service's message (from {job}/error when the summary has none or
// says there is more).
func (j *Job) failure(ctx context.Context, info *JobInfo) error {
	switch info.Phase {
	case PhaseCompleted:
		return nil
	case PhaseError:
		e := &ServiceError{Op: "async query", URL: redactURL(j.url), Status: string(PhaseError), JobID: j.id}
		if info.Error != nil {
			e.Message = info.Error.Message
		}
		if info.Error == nil || info.Error.HasDetail || e.Message == "" {
			if msg, err := j.ErrorDocument(ctx); err == nil && msg != "" {
				e.Message = msg
			}
		}
		if e.Message == "" {
			e.Message = "the job ended in ERROR without a message"
		}
		return e
	default:
		return &ServiceError{Op: "async query", URL: redactURL(j.url), Status: string(info.Phase), JobID: j.id,
			Message: "job ended in phase " + string(info.Phase)}
	}
}

// Result opens the job's result (the one with id "result", or else the
// first). The job must be COMPLETED.
func (j *Job) Result(ctx context.Context) (*Result, error) {
	info, err := j.Info(ctx)
	if err != nil {
		return nil, err
	}
	if err := j.failure(ctx, info); err != nil {
		return nil, err
	}
	return j.openResult(ctx, info, &Query{})
}

func (j *Job) openResult(ctx context.Context, info *JobInfo, q *Query) (*Result, error) {
	u := j.url + "/results/result"
	ref := info.Result("result")
	if ref == nil && len(info.Results) > 0 {
		ref = &info.Results[0]
	}
	if ref != nil && ref.Href != "" {
		h, err := url.Parse(strings.TrimSpace(ref.Href))
		if err != nil {
			return nil, fmt.Errorf("tap: job %s: result href %q: %w", j.id, redactURL(ref.Href), err)
		}
		base, _ := url.Parse(j.url)
		u = base.ResolveReference(h).String()
	}
	resp, err := j.c.get(ctx, j.op("result"), u)
	if err != nil {
		return nil, err
	}
	return newResult(ctx, "async query", resp, q, j)
}
