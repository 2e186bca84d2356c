// Package httpx is the HTTP layer shared by the connectors (ESO, Gemini,
// MAST, STScI timeline, Swift, TAP). It wraps go-resty with the behaviour
// every connector needs:
//
//   - a per-attempt timeout, the caller's context bounding the whole call;
//   - retries with exponential backoff and full jitter on network errors,
//     timeouts, truncated bodies, 408, 429 and 5xx, honouring Retry-After
//     (seconds or HTTP date) up to Options.MaxRetryAfter;
//   - a per-host token-bucket rate limit (2 requests/s by default);
//   - a descriptive User-Agent carrying the SDK version (internal/version, = arcsecond.Version);
//   - a response-size cap (ErrBodyTooLarge) and truncation detection
//     (ErrTruncatedBody); gzip bodies decoded;
//   - credentials (Auth, Authorization, Cookie, token/password/key query
//     parameters, URL user info) never written to logs or error messages.
//
// Failures are a *StatusError (non-2xx after retries, with a body snippet)
// or a *RequestError (no usable response; unwraps to the cause, so
// errors.Is(err, context.DeadlineExceeded) holds when the context ran out).
//
// Example:
//
//	c := httpx.New(httpx.Options{Auth: httpx.BearerToken(token)})
//	resp, err := c.Get(ctx, "https://archive.example.org/api/obs", url.Values{"limit": {"10"}})
//	var se *httpx.StatusError
//	switch {
//	case errors.As(err, &se) && se.StatusCode == http.StatusNotFound:
//		// no such resource
//	case err != nil:
//		return err
//	case httpx.LooksLikeHTML(resp.Body):
//		return errors.New("got an HTML page instead of JSON")
//	}
//
// Large results are read incrementally with Client.Stream; libraries that
// want an *http.Client get one sharing all of the above from
// Client.HTTPClient. Tests replace the network with Options.Transport: an
// httpmock transport for fault paths, or vcrtest.Replay for recorded
// cassettes.
package httpx
