package tap

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// Result is the answer to a query. For a VOTable (the default format) read
// it with Table and Rows, which stream the rows in constant memory; for
// other formats (CSV, TSV ...) read Body. Always Close it.
type Result struct {
	// ContentType is the media type the service declared.
	ContentType string

	op      string
	url     string
	body    io.ReadCloser
	br      *bufio.Reader
	q       Query
	job     *Job
	ctx     context.Context
	vr      *votable.Reader
	table   *votable.Table
	started bool // Table or Rows used
	done    bool // every row read and the document closed
	raw     bool // Body used
	closed  bool
	err     error
}

func newResult(ctx context.Context, op string, resp *http.Response, q *Query, job *Job) (*Result, error) {
	r := &Result{
		ContentType: resp.Header.Get("Content-Type"),
		op:          op,
		url:         redactURL(resp.Request.URL.String()),
		body:        resp.Body,
		br:          bufio.NewReaderSize(resp.Body, 64<<10),
		q:           *q,
		job:         job,
		ctx:         ctx,
	}
	if r.IsVOTable() {
		// A DALI error document (which DaCHS sends with HTTP 200) is
		// small and has no TABLE: report it now rather than at Table.
		head, _ := r.br.Peek(64 << 10)
		if bytes.Contains(head, []byte("QUERY_STATUS")) && !hasTableTag(head) {
			if msg, status := ErrorMessage(head, r.ContentType); status == "ERROR" {
				resp.Body.Close()
				return nil, r.serviceError(status, msg)
			}
		}
	} else if f := strings.ToLower(q.Format); f != "" && !strings.Contains(f, "votable") {
		// A service that cannot honour the format answers with a DALI
		// error document in VOTable; detect it before handing out bytes.
		head, _ := r.br.Peek(4096)
		if looksLikeVOTable(head) {
			body, _ := io.ReadAll(io.LimitReader(r.br, maxErrorBytes))
			msg, status := ErrorMessage(body, r.ContentType)
			if status == "ERROR" {
				resp.Body.Close()
				return nil, r.serviceError(status, msg)
			}
			// Not an error: the service sent a VOTable instead.
			r.br = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(body), r.br), 64<<10)
			r.q.Format = ""
		}
	}
	return r, nil
}

func hasTableTag(b []byte) bool {
	for _, t := range []string{"<TABLE", ":TABLE>", ":TABLE "} {
		if bytes.Contains(b, []byte(t)) {
			return true
		}
	}
	return false
}

func looksLikeVOTable(head []byte) bool {
	s := strings.TrimSpace(string(head))
	return strings.HasPrefix(s, "<") && strings.Contains(s, "VOTABLE")
}

func (r *Result) serviceError(status, msg string) *ServiceError {
	e := &ServiceError{Op: r.op, URL: r.url, Status: status, Message: msg}
	if r.job != nil {
		e.JobID = r.job.id
	}
	if e.Message == "" {
		e.Message = "the service reported QUERY_STATUS " + status + " without a message"
	}
	return e
}

// IsVOTable reports whether the result is a VOTable, judged from the
// requested format and the declared content type.
func (r *Result) IsVOTable() bool {
	ct := strings.ToLower(r.ContentType)
	f := strings.ToLower(r.q.Format)
	if strings.Contains(ct, "votable") {
		return true
	}
	if f == "" || strings.Contains(f, "votable") {
		return ct == "" || strings.Contains(ct, "xml")
	}
	return false
}

// Body returns the raw result bytes, for formats other than VOTable. It
// cannot be mixed with Table or Rows.
func (r *Result) Body() io.Reader {
	r.raw = true
	return r.br
}

// Reader returns the VOTable reader of the result, for access to every
// table and all metadata. It cannot be mixed with Body.
func (r *Result) Reader() (*votable.Reader, error) {
	if r.raw {
		return nil, errors.New("tap: result body already read as raw bytes")
	}
	if r.vr == nil {
		ctx := r.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		r.vr = votable.NewReader(r.br, votable.Options{Context: ctx})
	}
	return r.vr, nil
}

// Table moves to the first table of the VOTable result and returns its
// metadata. A DALI error document (QUERY_STATUS ERROR, with or without a
// table) gives a *ServiceError with the service's message.
func (r *Result) Table() (*votable.Table, error) {
	if r.table != nil || r.err != nil {
		return r.table, r.err
	}
	vr, err := r.Reader()
	if err != nil {
		return nil, err
	}
	r.started = true
	t, err := vr.NextTable()
	if st, ok := vr.QueryStatus(); ok && st.Value == "ERROR" {
		r.err = r.serviceError(st.Value, strings.TrimSpace(st.Content))
		return nil, r.err
	}
	if errors.Is(err, io.EOF) {
		// No table: the status may come after (it does not, in practice).
		_ = vr.Close()
		if st, ok := vr.QueryStatus(); ok && st.Value == "ERROR" {
			r.err = r.serviceError(st.Value, strings.TrimSpace(st.Content))
		} else {
			r.err = fmt.Errorf("tap: %s at %s: the result has no TABLE", r.op, r.url)
		}
		return nil, r.err
	}
	if err != nil {
		r.err = fmt.Errorf("tap: %s at %s: reading result: %w", r.op, r.url, err)
		return nil, r.err
	}
	r.table = t
	return t, nil
}

// Rows iterates over the rows of the first table. After the last row it
// checks the QUERY_STATUS written after the rows: an ERROR (the service
// failed midway) is yielded as a *ServiceError, and an OVERFLOW as an error
// wrapping ErrOverflow when Query.FailOnOverflow is set (otherwise see
// Overflow). A row is valid only until the next iteration; Clone it to keep
// it.
func (r *Result) Rows() iter.Seq2[votable.Row, error] {
	return func(yield func(votable.Row, error) bool) {
		if _, err := r.Table(); err != nil {
			yield(votable.Row{}, err)
			return
		}
		for row, err := range r.vr.Rows() {
			if err != nil {
				yield(row, fmt.Errorf("tap: %s at %s: %w", r.op, r.url, err))
				return
			}
			if !yield(row, nil) {
				return
			}
		}
		// See the INFO elements after the rows.
		r.done = true
		if err := r.vr.Close(); err != nil {
			yield(votable.Row{}, fmt.Errorf("tap: %s at %s: after the rows: %w", r.op, r.url, err))
			return
		}
		if st, ok := r.vr.QueryStatus(); ok && st.Value == "ERROR" {
			yield(votable.Row{}, r.serviceError(st.Value, strings.TrimSpace(st.Content)))
			return
		}
		if r.q.FailOnOverflow && r.vr.Overflow() {
			yield(votable.Row{}, fmt.Errorf("tap: %s at %s: %w", r.op, r.url, ErrOverflow))
		}
	}
}

// Overflow reports whether the service truncated the result at its row
// limit (QUERY_STATUS OVERFLOW). It is reliable once the rows have been
// read or the result closed.
func (r *Result) Overflow() bool { return r.vr != nil && r.vr.Overflow() }

// Warnings returns the VOTable reader's warnings about the result.
func (r *Result) Warnings() []votable.Warning {
	if r.vr == nil {
		return nil
	}
	return r.vr.Warnings()
}

// Job returns the async job behind the result, or nil for a sync query.
func (r *Result) Job() *Job { return r.job }

// Close releases the result; rows not read are skipped, not parsed. For a
// result of Async it also deletes the job.
func (r *Result) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	var err error
	if r.vr != nil && r.started && !r.done && r.table == nil {
		err = r.vr.Close()
	}
	if r.body != nil {
		// Drain a little so the connection can be reused, then close.
		io.CopyN(io.Discard, r.body, 64<<10)
		if cerr := r.body.Close(); err == nil {
			err = cerr
		}
	}
	if r.job != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.job.Delete(ctx)
	}
	return err
}
