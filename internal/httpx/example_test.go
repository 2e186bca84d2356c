package httpx_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
	"github.com/jarcoal/httpmock"
)

// A service that is briefly unavailable: the client retries and succeeds.
func ExampleClient_Get() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("GET", "https://archive.example.org/api/obs?limit=1",
		httpmock.NewStringResponder(503, "maintenance").Times(1).
			Then(httpmock.NewStringResponder(200, `[{"target":"M 31"}]`)))

	c := httpx.New(httpx.Options{
		Transport:  mock, // omit to use the network
		BackoffMin: time.Millisecond,
		BackoffMax: 5 * time.Millisecond,
	})
	resp, err := c.Get(context.Background(), "https://archive.example.org/api/obs", url.Values{"limit": {"1"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Status, string(resp.Body), "after", resp.Attempts, "attempts")
	// Output: 200 [{"target":"M 31"}] after 2 attempts
}

// A non-2xx status is a *StatusError carrying the status and a snippet of
// the body; the URL in it has its credentials redacted.
func ExampleStatusError() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("GET", "https://archive.example.org/api/obs/42",
		httpmock.NewStringResponder(404, "<html><body>No such observation</body></html>"))
	c := httpx.New(httpx.Options{Transport: mock})

	_, err := c.Get(context.Background(), "https://archive.example.org/api/obs/42", url.Values{"token": {"s3cr3t"}})
	var se *httpx.StatusError
	if errors.As(err, &se) {
		fmt.Println(se.StatusCode, httpx.LooksLikeHTML(se.Body))
		fmt.Println(err)
	}
	// Output:
	// 404 true
	// httpx: GET https://archive.example.org/api/obs/42?token=REDACTED: 404 Not Found: "<html><body>No such observation</body></html>"
}

// Stream hands over the body unread, for large VOTables.
func ExampleClient_Stream() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("POST", "https://tap.example.org/tap/sync",
		httpmock.NewStringResponder(200, "<VOTABLE>...</VOTABLE>"))
	c := httpx.New(httpx.Options{Transport: mock})

	form := url.Values{"REQUEST": {"doQuery"}, "LANG": {"ADQL"}, "QUERY": {"SELECT TOP 10 * FROM ivoa.obscore"}}
	req, err := http.NewRequest("POST", "https://tap.example.org/tap/sync", strings.NewReader(form.Encode()))
	if err != nil {
		fmt.Println(err)
		return
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Stream(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body) // a VOTable reader would go here
	fmt.Println(n, err)
	// Output: 22 <nil>
}

func ExampleRedactURL() {
	fmt.Println(httpx.RedactURL("https://alice:pw@mast.example.org/api?ra=10.68&api_key=abc123"))
	// Output: https://REDACTED@mast.example.org/api?ra=10.68&api_key=REDACTED
}
