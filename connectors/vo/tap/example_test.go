package tap_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/vo/adql"
	"github.com/arcsecond-go/arcsecond/connectors/vo/tap"
)

// exampleService stands in for a TAP service.
func exampleService() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/x-votable+xml")
		if strings.Contains(r.Form.Get("QUERY"), "nosuch") {
			io.WriteString(w, `<VOTABLE version="1.4"><RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">No such field known: column 'nosuch'</INFO></RESOURCE></VOTABLE>`)
			return
		}
		io.WriteString(w, `<VOTABLE version="1.4"><RESOURCE type="results">
<TABLE><FIELD name="obs_id" datatype="char" arraysize="*"/><FIELD name="t_exptime" datatype="double" unit="s"/>
<DATA><TABLEDATA><TR><TD>im7qnojsq</TD><TD>1343</TD></TR><TR><TD>N20210701S0025</TD><TD/></TR></TABLEDATA></DATA></TABLE>
<INFO name="QUERY_STATUS" value="OVERFLOW"/></RESOURCE></VOTABLE>`)
	}))
}

func ExampleClient_Sync() {
	srv := exampleService()
	defer srv.Close()
	c, err := tap.NewClient(srv.URL)
	if err != nil {
		panic(err)
	}
	q, _ := adql.Sprintf("SELECT obs_id, t_exptime FROM ivoa.obscore WHERE target_name = %s", "Barnard's Star")
	res, err := c.Sync(context.Background(), tap.Query{ADQL: q, MaxRec: 2})
	if err != nil {
		panic(err)
	}
	defer res.Close()
	t, err := res.Table()
	if err != nil {
		panic(err)
	}
	for row, err := range res.Rows() {
		if err != nil {
			panic(err)
		}
		id, _ := row.String(t.FieldIndex("obs_id"))
		if exp, ok := row.Float(t.FieldIndex("t_exptime")); ok {
			fmt.Println(id, exp)
		} else {
			fmt.Println(id, "no exposure time")
		}
	}
	fmt.Println("truncated:", res.Overflow())
	// Output:
	// im7qnojsq 1343
	// N20210701S0025 no exposure time
	// truncated: true
}

func ExampleServiceError() {
	srv := exampleService()
	defer srv.Close()
	c, _ := tap.NewClient(srv.URL)
	_, err := c.Sync(context.Background(), tap.Query{ADQL: "SELECT nosuch FROM ivoa.obscore"})
	var se *tap.ServiceError
	if errors.As(err, &se) {
		fmt.Println(se.Message)
	}
	// Output: No such field known: column 'nosuch'
}

func ExampleParseJob() {
	job, err := tap.ParseJob(strings.NewReader(`<uws:job xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" version="1.1">
  <uws:jobId>8dq5zt7v</uws:jobId><uws:phase>ERROR</uws:phase>
  <uws:errorSummary type="fatal" hasDetail="true"><uws:message>Query timed out</uws:message></uws:errorSummary>
</uws:job>`))
	if err != nil {
		panic(err)
	}
	fmt.Println(job.JobID, job.Phase, job.Phase.Final(), job.Error.Message)
	// Output: 8dq5zt7v ERROR true Query timed out
}
