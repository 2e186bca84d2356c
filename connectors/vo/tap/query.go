package tap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// MetadataOnly, as Query.MaxRec, asks for no rows (MAXREC=0): the service
// returns only the result's columns.
const MetadataOnly = -1

// Query is one TAP query.
type Query struct {
	// ADQL is the query text. Build it with the adql package when it
	// includes user input.
	ADQL string
	// Lang is the query language (default "ADQL").
	Lang string
	// MaxRec limits the number of rows: 0 leaves the service's default,
	// MetadataOnly asks for none.
	MaxRec int
	// Format is RESPONSEFORMAT (default VOTable). Other formats ("csv",
	// "tsv", a MIME type) are returned as raw bytes by Result.Body.
	Format string
	// Uploads are tables sent with the query, referenced in ADQL as
	// TAP_UPLOAD.<name>.
	Uploads []Upload
	// RunID is the UWS runId, to tag jobs.
	RunID string
	// ExecutionDuration (async only) asks for a maximum run time.
	ExecutionDuration time.Duration
	// Destruction (async only) asks for the job to be kept until then.
	Destruction time.Time
	// FailOnOverflow makes a truncated result (QUERY_STATUS OVERFLOW) an
	// error wrapping ErrOverflow at the end of the rows; by default the
	// truncation is only reported by Result.Overflow.
	FailOnOverflow bool
	// Params are extra service-specific parameters.
	Params url.Values
}

// Upload is a table sent with a query (TAP_UPLOAD). Give one of Content (a
// VOTable document, sent inline), Write (which writes one as it is sent;
// see TableUpload) or URL (which the service fetches).
type Upload struct {
	Name     string
	Content  io.Reader
	Write    func(w io.Writer) error
	FileName string // name of the inline part (default Name + ".xml")
	URL      string
}

// TableUpload returns an Upload that writes the given fields and rows as a
// BINARY2 VOTable while the request is sent, so a large table is never
// held in memory. Cells are Go values as votable.Writer.WriteRow takes
// them.
func TableUpload(name string, fields []votable.Field, rows iter.Seq[[]any]) Upload {
	return Upload{Name: name, Write: func(w io.Writer) error {
		vw, err := votable.NewWriter(w, &votable.Table{Name: name, Fields: fields}, votable.WriterOptions{Format: votable.FormatBinary2})
		if err != nil {
			return err
		}
		for row := range rows {
			if err := vw.WriteRow(row...); err != nil {
				return err
			}
		}
		return vw.Close()
	}}
}

var uploadName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// params returns the query's parameters, checking them.
func (q *Query) params(async bool) (url.Values, error) {
	if strings.TrimSpace(q.ADQL) == "" {
		return nil, errors.New("empty query")
	}
	v := url.Values{}
	for k, vs := range q.Params {
		for _, s := range vs {
			v.Add(k, s)
		}
	}
	v.Set("REQUEST", "doQuery")
	lang := q.Lang
	if lang == "" {
		lang = "ADQL"
	}
	v.Set("LANG", lang)
	v.Set("QUERY", q.ADQL)
	switch {
	case q.MaxRec == MetadataOnly:
		v.Set("MAXREC", "0")
	case q.MaxRec > 0:
		v.Set("MAXREC", strconv.Itoa(q.MaxRec))
	case q.MaxRec < 0:
		return nil, fmt.Errorf("MaxRec %d is negative", q.MaxRec)
	}
	if q.Format != "" {
		v.Set("RESPONSEFORMAT", q.Format)
	}
	if q.RunID != "" {
		v.Set("RUNID", q.RunID)
	}
	if async {
		if q.ExecutionDuration > 0 {
			v.Set("EXECUTIONDURATION", strconv.FormatInt(int64((q.ExecutionDuration+time.Second-1)/time.Second), 10))
		}
		if !q.Destruction.IsZero() {
			v.Set("DESTRUCTION", q.Destruction.UTC().Format(time.RFC3339))
		}
	}
	if len(q.Uploads) > 0 {
		var specs []string
		seen := map[string]bool{}
		for i, u := range q.Uploads {
			if !uploadName.MatchString(u.Name) {
				return nil, fmt.Errorf("upload %d: table name %q is not a plain ADQL identifier", i+1, u.Name)
			}
			if seen[strings.ToLower(u.Name)] {
				return nil, fmt.Errorf("upload %q given twice", u.Name)
			}
			seen[strings.ToLower(u.Name)] = true
			given := 0
			for _, b := range []bool{u.Content != nil, u.Write != nil, u.URL != ""} {
				if b {
					given++
				}
			}
			switch {
			case given > 1:
				return nil, fmt.Errorf("upload %q: give one of Content, Write or URL", u.Name)
			case u.Content != nil || u.Write != nil:
				specs = append(specs, u.Name+",param:"+u.Name)
			case u.URL != "":
				pu, err := url.Parse(u.URL)
				if err != nil || (pu.Scheme != "http" && pu.Scheme != "https" && pu.Scheme != "ftp") {
					return nil, fmt.Errorf("upload %q: URL must be http, https or ftp", u.Name)
				}
				if strings.ContainsAny(u.URL, ";") {
					return nil, fmt.Errorf("upload %q: URL may not contain ';'", u.Name)
				}
				specs = append(specs, u.Name+","+u.URL)
			default:
				return nil, fmt.Errorf("upload %q has no Content, Write or URL", u.Name)
			}
		}
		v.Set("UPLOAD", strings.Join(specs, ";"))
	}
	return v, nil
}

// hasInline reports whether some upload is sent inline, which needs a
// multipart request.
func (q *Query) hasInline() bool {
	for _, u := range q.Uploads {
		if u.Content != nil || u.Write != nil {
			return true
		}
	}
	return false
}

// post sends the query's parameters (multipart when uploading inline).
func (c *Client) postQuery(ctx context.Context, op, u string, q *Query, v url.Values, noRedirect bool, ok ...int) (*http.Response, error) {
	if !q.hasInline() {
		return c.postForm(ctx, op, u, v, noRedirect, ok...)
	}
	used := false
	return c.do(ctx, request{
		op: op, method: http.MethodPost, url: u, noRedirect: noRedirect, okStatuses: ok,
		body: func() (io.Reader, string, error) {
			if used {
				return nil, "", errors.New("upload content already sent")
			}
			used = true
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			go func() {
				err := writeMultipart(mw, q, v)
				if err == nil {
					err = mw.Close()
				}
				pw.CloseWithError(err)
			}()
			return pr, mw.FormDataContentType(), nil
		},
	})
}

func writeMultipart(mw *multipart.Writer, q *Query, v url.Values) error {
	for k, vs := range v {
		for _, s := range vs {
			if err := mw.WriteField(k, s); err != nil {
				return err
			}
		}
	}
	for _, up := range q.Uploads {
		if up.Content == nil && up.Write == nil {
			continue
		}
		fn := up.FileName
		if fn == "" {
			fn = up.Name + ".xml"
		}
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name=%q; filename=%q`, up.Name, fn)}
		h["Content-Type"] = []string{"application/x-votable+xml"}
		w, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		if up.Write != nil {
			err = up.Write(w)
		} else {
			_, err = io.Copy(w, up.Content)
		}
		if err != nil {
			return fmt.Errorf("upload %s: %w", up.Name, err)
		}
	}
	return nil
}

// Sync runs a query synchronously ({base}/sync) and returns its result,
// which the caller must Close. A query the service rejects gives a
// *ServiceError carrying the service's message.
func (c *Client) Sync(ctx context.Context, q Query) (*Result, error) {
	v, err := q.params(false)
	if err != nil {
		return nil, fmt.Errorf("tap: sync query: %w", err)
	}
	u := c.endpoint("sync")
	resp, err := c.postQuery(ctx, "sync query", u, &q, v, false)
	if err != nil {
		return nil, err
	}
	return newResult(ctx, "sync query", resp, &q, nil)
}

// Async runs a query as a UWS job ({base}/async): it creates the job, runs
// it, waits for it to end (long-polling when the service allows it) and
// opens its result. If the job fails, the error is a *ServiceError with the
// message from the job's error document. If ctx ends first, the job is
// aborted. Closing the result deletes the job.
func (c *Client) Async(ctx context.Context, q Query) (*Result, error) {
	job, err := c.Submit(ctx, q)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Result, error) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = job.Abort(cctx)
		_ = job.Delete(cctx)
		return nil, err
	}
	if err := job.Run(ctx); err != nil {
		return fail(err)
	}
	info, err := job.wait(ctx, true)
	if err != nil {
		return fail(err)
	}
	if err := job.failure(ctx, info); err != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = job.Delete(cctx)
		return nil, err
	}
	res, err := job.openResult(ctx, info, &q)
	if err != nil {
		return fail(err)
	}
	res.job = job
	return res, nil
}

// Submit creates an async job for the query, in phase PENDING. Run starts
// it.
func (c *Client) Submit(ctx context.Context, q Query) (*Job, error) {
	v, err := q.params(true)
	if err != nil {
		return nil, fmt.Errorf("tap: async query: %w", err)
	}
	u := c.endpoint("async")
	resp, err := c.postQuery(ctx, "job creation", u, &q, v, true, http.StatusSeeOther, http.StatusFound, http.StatusMovedPermanently, http.StatusTemporaryRedirect)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	loc := resp.Header.Get("Location")
	var jobURL string
	if loc != "" {
		ref, err := url.Parse(loc)
		if err != nil {
			return nil, fmt.Errorf("tap: job creation at %s: bad Location %q", redactURL(u), redactURL(loc))
		}
		jobURL = resp.Request.URL.ResolveReference(ref).String()
	} else {
		// Some services answer 200 with the job document itself.
		info, err := ParseJob(io.LimitReader(resp.Body, maxDocBytes))
		if err != nil {
			return nil, fmt.Errorf("tap: job creation at %s: HTTP %d without Location, and %w", redactURL(u), resp.StatusCode, err)
		}
		jobURL = u + "/" + url.PathEscape(info.JobID)
	}
	return c.jobAt(jobURL), nil
}

// Job returns a handle on an existing job, by its URL or its id.
func (c *Client) Job(idOrURL string) *Job {
	if strings.HasPrefix(idOrURL, "http://") || strings.HasPrefix(idOrURL, "https://") {
		return c.jobAt(idOrURL)
	}
	return c.jobAt(c.endpoint("async", url.PathEscape(idOrURL)))
}

func (c *Client) jobAt(u string) *Job {
	id := u
	if i := strings.LastIndexByte(strings.TrimRight(u, "/"), '/'); i >= 0 {
		id = strings.TrimRight(u, "/")[i+1:]
	}
	if s, err := url.PathUnescape(id); err == nil {
		id = s
	}
	return &Job{c: c, url: strings.TrimRight(u, "/"), id: id}
}

// Jobs lists the jobs the service shows to this client ({base}/async).
func (c *Client) Jobs(ctx context.Context) ([]JobRef, error) {
	resp, err := c.get(ctx, "job list", c.endpoint("async"))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	refs, err := ParseJobList(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("tap: job list at %s: %w", redactURL(c.endpoint("async")), err)
	}
	return refs, nil
}
