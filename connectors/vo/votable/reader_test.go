package votable

import (
	"errors"
	"io"
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
