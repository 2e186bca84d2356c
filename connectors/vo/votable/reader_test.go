package votable

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const smallDoc = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE type="results">
<INFO name="QUERY_STATUS" value="OK"/>
<TABLE name="t">
<FIELD name="id" datatype="long"><VALUES null="-1"/></FIELD>
<FIELD name="ra" datatype="double" unit="deg" ucd="pos.eq.ra"/>
<FIELD name="name" datatype="char" arraysize="*"/>
<FIELD name="ok" datatype="boolean"/>
<FIELD name="pos" datatype="double" arraysize="2" xtype="point"/>
<DATA><TABLEDATA>
<TR><TD>1</TD><TD>10.5</TD><TD>a &amp; b</TD><TD>T</TD><TD>1 2</TD></TR>
<TR><TD>-1</TD><TD></TD><TD/><TD>?</TD><TD></TD></TR>
<TR><TD>NULL</TD><TD>NaN</TD><TD><![CDATA[<x>]]></TD><TD>false</TD><TD>3 4</TD></TR>
</TABLEDATA></DATA>
</TABLE>
<INFO name="QUERY_STATUS" value="OVERFLOW"/>
</RESOURCE>
</VOTABLE>`

func TestTabledataSmall(t *testing.T) {
	r := NewReader(strings.NewReader(smallDoc), Options{})
	tab, err := r.NextTable()
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Fields) != 5 || tab.Fields[1].Unit != "deg" || tab.Fields[1].UCD != "pos.eq.ra" {
		t.Fatalf("fields: %+v", tab.Fields)
	}
	var got []string
	for row, err := range r.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(row.AppendJSON(nil)))
	}
	want := []string{
		`{"id":1,"ra":10.5,"name":"a & b","ok":true,"pos":[1,2]}`,
		`{"id":null,"ra":null,"name":null,"ok":null,"pos":null}`,
		`{"id":null,"ra":null,"name":"<x>","ok":false,"pos":[3,4]}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := r.NextTable(); err != io.EOF {
		t.Fatalf("want EOF, got %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if !r.Overflow() {
		t.Error("OVERFLOW after the rows not seen")
	}
	if len(r.Warnings()) != 1 || r.Warnings()[0].Code != WarnNullLiteral {
		t.Errorf("warnings: %v", r.Warnings())
	}
}

func TestStrictTurnsWarningsIntoErrors(t *testing.T) {
	r := NewReader(strings.NewReader(smallDoc), Options{Strict: true})
	if _, err := r.NextTable(); err != nil {
		t.Fatal(err)
	}
	n := 0
	var last error
	for _, err := range r.Rows() {
		if err != nil {
			last = err
			break
		}
		n++
	}
	var e *Error
	if !errors.As(last, &e) || e.Code != WarnNullLiteral || e.Row != 2 || e.Field != "id" || e.Line != 14 || e.Col != 5 {
		t.Fatalf("got %d rows then %v (%+v)", n, last, e)
	}
}

func TestLoadAndRowsWithoutNextTable(t *testing.T) {
	l, err := Load(t.Context(), strings.NewReader(smallDoc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Table == nil || len(l.Rows) != 3 || !l.Overflow || l.QueryStatus == nil || l.QueryStatus.Value != "OVERFLOW" || l.Tables != 1 {
		t.Fatalf("%+v", l)
	}
	if v, ok := l.Rows[0].Int(0); !ok || v != 1 {
		t.Errorf("row 0 id: %v %v", v, ok)
	}
	if p, ok := l.Rows[2].Value(4).(Point); !ok || p != (Point{3, 4}) {
		t.Errorf("point: %#v", l.Rows[2].Value(4))
	}
	r := NewReader(strings.NewReader(smallDoc), Options{})
	n := 0
	for _, err := range r.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 {
		t.Errorf("%d rows without NextTable", n)
	}
}

func TestErrorDocumentAndMetadata(t *testing.T) {
	doc := `<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<DESCRIPTION>top</DESCRIPTION>
<COOSYS ID="sys" system="ICRS" epoch="J2000"/>
<TIMESYS ID="ts" timeorigin="MJD-origin" timescale="TDB" refposition="BARYCENTER"/>
<RESOURCE type="results" name="r">
<INFO name="QUERY_STATUS" value="ERROR">Syntax error near SELECT</INFO>
<PARAM name="p" datatype="int" value="3" ucd="meta.number"/>
<RESOURCE type="meta" utype="adhoc:service"><PARAM name="accessURL" datatype="char" arraysize="*" value="http://x/y"/>
<GROUP name="inputParams"><PARAM name="ID" datatype="char" arraysize="*" ref="id" value=""/><FIELDref ref="id"/><PARAMref ref="p"/></GROUP></RESOURCE>
<LINK href="http://example.org/doc" content-role="doc"/>
</RESOURCE></VOTABLE>`
	l, err := Load(t.Context(), strings.NewReader(doc), Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if l.Table != nil || l.QueryStatus == nil || l.QueryStatus.Value != "ERROR" || l.QueryStatus.Content != "Syntax error near SELECT" {
		t.Fatalf("%+v", l)
	}
	d := l.Document
	if d.Description != "top" || len(d.CoordSys) != 1 || d.CoordSys[0].System != "ICRS" || len(d.TimeSys) != 1 || d.TimeSys[0].TimeScale != "TDB" {
		t.Errorf("document metadata: %+v", d)
	}
	res := d.Resources[0]
	if len(res.Params) != 1 || res.Params[0].Value != "3" || len(res.Links) != 1 || len(res.Resources) != 1 {
		t.Fatalf("resource: %+v", res)
	}
	meta := res.Resources[0]
	if meta.Type != "meta" || len(meta.Groups) != 1 || meta.Groups[0].FieldRefs[0] != "id" || meta.Groups[0].ParamRefs[0] != "p" || meta.Groups[0].Params[0].Name != "ID" {
		t.Errorf("meta resource: %+v", meta)
	}
}

func TestErrorsSayWhere(t *testing.T) {
	cases := []struct {
		doc, want string
		strict    bool
	}{
		{`<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE><FIELD name="n" datatype="short"/><DATA><TABLEDATA>
<TR><TD>1</TD></TR>
<TR><TD>70000</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`, `line 3 col 5: row 1: field "n": [out-of-range] value "70000" is out of range for short`, true},
		{`<html><body>502 Bad Gateway</body></html>`, `not a VOTable: the root element is <html>`, false},
		{`<VOTABLE><RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><FITS><STREAM encoding="base64">AAAA</STREAM></FITS></DATA></TABLE></RESOURCE></VOTABLE>`, `FITS serialization: fits: HDU 0: the file ends inside a header block`, false},
		{`<VOTABLE><RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><TABLEDATA><TR><TD>1`, `document ends inside TD`, false},
		{`<VOTABLE><RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><BINARY><STREAM encoding="base64">AAAA
AAA=</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>`, `row 1: field "a": stream ends inside a row`, false},
		{`<VOTABLE><RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><BINARY><STREAM href="/etc/passwd"/></BINARY></DATA></TABLE></RESOURCE></VOTABLE>`, `needs Options.HrefDir`, false},
	}
	for _, c := range cases {
		r := NewReader(strings.NewReader(c.doc), Options{Strict: c.strict})
		for {
			if _, err := r.NextTable(); err != nil {
				break
			}
			for range r.Rows() {
			}
		}
		err := r.Close()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.40q: got %v, want %q", c.doc, err, c.want)
		}
	}
}

func TestHrefRules(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "test20_all.binary2_href.vot"))
	if err != nil {
		t.Fatal(err)
	}
	count := func(doc []byte, opts Options) (int, error) {
		l, err := Load(t.Context(), bytes.NewReader(doc), opts)
		if err != nil {
			return 0, err
		}
		return len(l.Rows), nil
	}
	if n, err := count(src, Options{HrefDir: "testdata"}); err != nil || n != 20 {
		t.Errorf("relative href inside HrefDir: %d rows, %v", n, err)
	}
	if _, err := count(src, Options{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("href without HrefDir: %v", err)
	}
	escape := bytes.Replace(src, []byte(`href="test20_all`), []byte(`href="../test20_all`), 1)
	if bytes.Equal(escape, src) {
		t.Fatal("test document changed: no href to rewrite")
	}
	if _, err := count(escape, Options{HrefDir: "testdata"}); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("href escaping HrefDir: %v", err)
	}
	remote := bytes.Replace(src, []byte(`href="test20_all`), []byte(`href="http://example.org/test20_all`), 1)
	if _, err := count(remote, Options{HrefDir: "testdata"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("http href without OpenHref: %v", err)
	}
	opened := ""
	n, err := count(remote, Options{OpenHref: func(_ context.Context, href string) (io.ReadCloser, error) {
		opened = href
		return os.Open(filepath.Join("testdata", "test20_all.binary2_href-data.bin"))
	}})
	if err != nil || n != 20 || opened != "http://example.org/test20_all.binary2_href-data.bin" {
		t.Errorf("OpenHref: %d rows, %v, opened %q", n, err, opened)
	}
}

func TestDeclaredLatin1(t *testing.T) {
	doc := "<?xml version='1.0' encoding='ISO-8859-1'?>\n<VOTABLE version=\"1.3\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\"><RESOURCE>" +
		"<INFO name=\"QUERY_STATUS\" value=\"OK\">G\xf6rlitz</INFO><TABLE><FIELD name=\"c\" datatype=\"char\" arraysize=\"*\"/>" +
		"<DATA><TABLEDATA><TR><TD>S\xe3o Paulo</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"
	l, err := Load(t.Context(), strings.NewReader(doc), Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := l.Rows[0].String(0); s != "São Paulo" {
		t.Errorf("cell %q", s)
	}
	if l.QueryStatus.Content != "Görlitz" {
		t.Errorf("INFO %q", l.QueryStatus.Content)
	}
}

func TestContextCancelStopsRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE><FIELD name="i" datatype="int"/><DATA><TABLEDATA>`)
	for i := 0; i < 5000; i++ {
		b.WriteString("<TR><TD>1</TD></TR>")
	}
	b.WriteString(`</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	r := NewReader(strings.NewReader(b.String()), Options{Context: ctx})
	n := 0
	var last error
	for _, err := range r.Rows() {
		if err != nil {
			last = err
			break
		}
		n++
		if n == 10 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) || n >= 5000 {
		t.Errorf("after cancel: %d rows, %v", n, last)
	}
}

func TestBinaryWithEmptyRowsRefused(t *testing.T) {
	for _, fields := range []string{``, `<FIELD name="a" datatype="int" arraysize="0"/>`} {
		doc := `<VOTABLE><RESOURCE><TABLE>` + fields + `<DATA><BINARY><STREAM encoding="base64">AAAA</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>`
		r := NewReader(strings.NewReader(doc), Options{})
		_, err := r.NextTable()
		if err == nil || !strings.Contains(err.Error(), "take no bytes") {
			t.Errorf("%q: %v", fields, err)
		}
	}
}

func TestInfoInsideTabledata(t *testing.T) {
	doc := `<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE><FIELD name="i" datatype="int"/><DATA><TABLEDATA>
<TR><TD>1</TD></TR><INFO name="QUERY_STATUS" value="OVERFLOW">limit reached</INFO>
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`
	l, err := Load(t.Context(), strings.NewReader(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Rows) != 1 || !l.Overflow || l.QueryStatus.Content != "limit reached" || len(l.Warnings) != 1 || l.Warnings[0].Code != WarnMisplaced {
		t.Errorf("%d rows, overflow %v, warnings %v", len(l.Rows), l.Overflow, l.Warnings)
	}
}
