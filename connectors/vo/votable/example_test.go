package votable_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

const exampleDoc = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
 <RESOURCE type="results">
  <TABLE>
   <FIELD name="target" datatype="char" arraysize="*"/>
   <FIELD name="ra" datatype="double" unit="deg"/>
   <FIELD name="exptime" datatype="float" unit="s"/>
   <DATA><TABLEDATA>
    <TR><TD>NGC 253</TD><TD>11.888</TD><TD>300</TD></TR>
    <TR><TD>M 83</TD><TD>204.254</TD><TD/></TR>
   </TABLEDATA></DATA>
  </TABLE>
  <INFO name="QUERY_STATUS" value="OVERFLOW"/>
 </RESOURCE>
</VOTABLE>`

func ExampleReader() {
	r := votable.NewReader(strings.NewReader(exampleDoc), votable.Options{})
	t, err := r.NextTable()
	if err != nil {
		fmt.Println(err)
		return
	}
	target, exptime := t.FieldIndex("target"), t.FieldIndex("exptime")
	for row, err := range r.Rows() {
		if err != nil {
			fmt.Println(err)
			return
		}
		name, _ := row.String(target)
		if s, ok := row.Float(exptime); ok {
			fmt.Printf("%s: %g s\n", name, s)
		} else {
			fmt.Printf("%s: exposure time unknown (null)\n", name)
		}
	}
	if err := r.Close(); err != nil { // reads the INFO written after the rows
		fmt.Println(err)
		return
	}
	fmt.Println("truncated by the service:", r.Overflow())
	// Output:
	// NGC 253: 300 s
	// M 83: exposure time unknown (null)
	// truncated by the service: true
}

func ExampleWriter() {
	t := &votable.Table{Fields: []votable.Field{
		{Name: "id", Datatype: "long"},
		{Name: "pos", Datatype: "double", Arraysize: "2", Xtype: "point", Unit: "deg"},
	}}
	var buf bytes.Buffer
	w, err := votable.NewWriter(&buf, t, votable.WriterOptions{Format: votable.FormatBinary2})
	if err != nil {
		fmt.Println(err)
		return
	}
	w.WriteRow(1, votable.Point{Lon: 10.5, Lat: -30})
	w.WriteRow(2, nil) // a null
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}
	r := votable.NewReader(&buf, votable.Options{})
	r.NextTable()
	for row := range r.Rows() {
		fmt.Println(string(row.AppendJSON(nil)), row.Value(1))
	}
	// Output:
	// {"id":1,"pos":[10.5,-30]} {10.5 -30}
	// {"id":2,"pos":null} <nil>
}
