// Package tap is a client for IVOA Table Access Protocol (TAP 1.1)
// services, such as ESO's tap_obs, MAST's and ESA's archives, HEASARC or
// a GAVO DaCHS server.
//
// It runs ADQL queries synchronously ({service}/sync) or as UWS jobs
// ({service}/async: creation, run, long-polling with WAIT and backoff,
// abort, deletion, destruction and execution-duration changes, the job's
// {job}/error document on failure), uploads tables (TAP_UPLOAD), reads the
// VOSI capabilities, tables and availability documents and the DALI
// examples, and returns results as a stream of rows from the votable
// package, in constant memory. A result truncated at MAXREC is reported
// (Result.Overflow, or an error wrapping ErrOverflow with
// Query.FailOnOverflow). Failures reported by the service, as an HTTP
// error, a DALI error document (even one sent with HTTP 200) or a failed
// job, are *ServiceError values that always carry the service's own
// message. Credentials (BearerToken, BasicAuth, CookieSession or any Auth)
// are sent only to the service's host and never appear in errors.
//
// Build queries that include user input with the adql package, which
// quotes literals and identifiers so that the input cannot change the
// query.
//
// A short example:
//
//	c, err := tap.NewClient("https://example.org/tap")
//	if err != nil { ... }
//	q, _ := adql.Sprintf("SELECT TOP 10 obs_id, t_min FROM ivoa.obscore WHERE target_name = %s", name)
//	res, err := c.Async(ctx, tap.Query{ADQL: q, MaxRec: 1000})
//	if err != nil { ... } // a *tap.ServiceError carries the server's message
//	defer res.Close()
//	t, err := res.Table()
//	if err != nil { ... }
//	for row, err := range res.Rows() {
//		if err != nil { ... }
//		id, _ := row.String(t.FieldIndex("obs_id"))
//		...
//	}
//	if res.Overflow() { ... } // truncated at MAXREC
package tap
