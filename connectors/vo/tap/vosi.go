package tap

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Standard identifiers of the capabilities a TAP service declares.
const (
	StandardTAP          = "ivo://ivoa.net/std/TAP"
	StandardTables       = "ivo://ivoa.net/std/VOSI#tables"
	StandardCapabilities = "ivo://ivoa.net/std/VOSI#capabilities"
	StandardAvailability = "ivo://ivoa.net/std/VOSI#availability"
	StandardExamples     = "ivo://ivoa.net/std/DALI#examples"
)

// Capabilities is a VOSI capabilities document.
type Capabilities struct {
	Capabilities []Capability
}

// Find returns the first capability whose standardID starts with std
// (ignoring any "#fragment" variant such as "ivo://ivoa.net/std/TAP#1.1"
// when std has none), or nil.
func (c *Capabilities) Find(std string) *Capability {
	for i := range c.Capabilities {
		id := c.Capabilities[i].StandardID
		if strings.EqualFold(id, std) || (!strings.Contains(std, "#") && strings.HasPrefix(strings.ToLower(id), strings.ToLower(std)+"#")) {
			return &c.Capabilities[i]
		}
	}
	return nil
}

// Capability is one <capability>. For TAP (xsi:type tr:TableAccess) the
// TAPRegExt fields are filled.
type Capability struct {
	StandardID  string
	Type        string // xsi:type, e.g. "tr:TableAccess"
	Description string
	Interfaces  []Interface

	DataModels        []DataModel
	Languages         []Language
	OutputFormats     []OutputFormat
	UploadMethods     []string // ivo-ids
	RetentionPeriod   Limit    // seconds
	ExecutionDuration Limit    // seconds
	OutputLimit       Limit    // rows or bytes, see Unit
	UploadLimit       Limit
}

// Interface is one way of reaching a capability.
type Interface struct {
	Type            string // xsi:type, e.g. "vs:ParamHTTP"
	Role            string
	AccessURLs      []AccessURL
	SecurityMethods []string // standardIDs; "" is anonymous
}

// AccessURL is an <accessURL> with its use attribute ("full", "base").
type AccessURL struct {
	URL string
	Use string
}

// DataModel is a data model a TAP service declares (e.g. ObsCore).
type DataModel struct {
	IVOID string
	Name  string
}

// Language is a query language a TAP service accepts.
type Language struct {
	Name        string
	Versions    []LanguageVersion
	Description string
	Features    []LanguageFeature
}

// LanguageVersion is one version of a query language.
type LanguageVersion struct {
	IVOID   string
	Version string
}

// LanguageFeature is an optional feature (a UDF, a geometry function).
type LanguageFeature struct {
	Type        string // the languageFeatures type, e.g. ...#features-udf
	Form        string
	Description string
}

// OutputFormat is a result format the service can produce.
type OutputFormat struct {
	IVOID   string
	MIME    string
	Aliases []string
}

// Limit is a TAPRegExt limit pair; a zero value means "not given".
type Limit struct {
	Default     int64
	Hard        int64
	DefaultUnit string
	HardUnit    string
}

// ParseCapabilities reads a VOSI capabilities document.
func ParseCapabilities(r io.Reader) (*Capabilities, error) {
	root, err := parseTree(r)
	if err != nil {
		return nil, fmt.Errorf("VOSI capabilities: %w", err)
	}
	if root.name != "capabilities" {
		return nil, fmt.Errorf("VOSI capabilities: root element is <%s>, want <capabilities>", root.name)
	}
	out := &Capabilities{}
	for _, c := range root.all("capability") {
		capa, err := capabilityFromNode(c)
		if err != nil {
			return nil, fmt.Errorf("VOSI capabilities: %w", err)
		}
		out.Capabilities = append(out.Capabilities, capa)
	}
	return out, nil
}

func capabilityFromNode(c *node) (Capability, error) {
	capa := Capability{StandardID: c.attr("standardID"), Type: c.attr("type")}
	var err error
	// Repeated descriptions are tolerated (the first is kept): they
	// harm nothing a client needs.
	if ds := c.all("description"); len(ds) > 0 {
		capa.Description = ds[0].Text()
	}
	for _, in := range c.all("interface") {
		iface := Interface{Type: in.attr("type"), Role: in.attr("role")}
		for _, u := range in.all("accessURL") {
			iface.AccessURLs = append(iface.AccessURLs, AccessURL{URL: u.Text(), Use: u.attr("use")})
		}
		for _, s := range in.all("securityMethod") {
			iface.SecurityMethods = append(iface.SecurityMethods, s.attr("standardID"))
		}
		capa.Interfaces = append(capa.Interfaces, iface)
	}
	for _, dm := range c.all("dataModel") {
		capa.DataModels = append(capa.DataModels, DataModel{IVOID: dm.attr("ivo-id"), Name: dm.Text()})
	}
	for _, l := range c.all("language") {
		lang := Language{}
		lang.Name, _ = l.childText("name")
		lang.Description, _ = l.childText("description")
		for _, v := range l.all("version") {
			lang.Versions = append(lang.Versions, LanguageVersion{IVOID: v.attr("ivo-id"), Version: v.Text()})
		}
		for _, fs := range l.all("languageFeatures") {
			for _, f := range fs.all("feature") {
				form, _ := f.childText("form")
				desc, _ := f.childText("description")
				lang.Features = append(lang.Features, LanguageFeature{Type: fs.attr("type"), Form: form, Description: desc})
			}
		}
		capa.Languages = append(capa.Languages, lang)
	}
	for _, o := range c.all("outputFormat") {
		f := OutputFormat{IVOID: o.attr("ivo-id")}
		f.MIME, _ = o.childText("mime")
		for _, a := range o.all("alias") {
			f.Aliases = append(f.Aliases, a.Text())
		}
		capa.OutputFormats = append(capa.OutputFormats, f)
	}
	for _, u := range c.all("uploadMethod") {
		capa.UploadMethods = append(capa.UploadMethods, u.attr("ivo-id"))
	}
	for _, l := range []struct {
		name string
		dst  *Limit
	}{
		{"retentionPeriod", &capa.RetentionPeriod},
		{"executionDuration", &capa.ExecutionDuration},
		{"outputLimit", &capa.OutputLimit},
		{"uploadLimit", &capa.UploadLimit},
	} {
		// TAPRegExt 1.1 may repeat limits with forMode; the first is kept.
		ns := c.all(l.name)
		if len(ns) == 0 {
			continue
		}
		if *l.dst, err = limitFromNode(ns[0]); err != nil {
			return capa, fmt.Errorf("capability %s: <%s>: %w", capa.StandardID, l.name, err)
		}
	}
	return capa, nil
}

func limitFromNode(n *node) (Limit, error) {
	var l Limit
	for _, part := range []struct {
		name string
		v    *int64
		unit *string
	}{{"default", &l.Default, &l.DefaultUnit}, {"hard", &l.Hard, &l.HardUnit}} {
		c, err := n.one(part.name)
		if err != nil {
			return l, err
		}
		if c == nil {
			continue
		}
		v, err := strconv.ParseInt(c.Text(), 10, 64)
		if err != nil {
			return l, fmt.Errorf("<%s> %q is not an integer", part.name, c.Text())
		}
		*part.v, *part.unit = v, c.attr("unit")
	}
	return l, nil
}

// SupportsFormat reports whether the TAP capability lists an output format
// with the given alias or MIME type (compared case-insensitively, MIME
// parameters ignored when format has none).
func (c *Capability) SupportsFormat(format string) bool {
	f := strings.ToLower(strings.TrimSpace(format))
	for _, o := range c.OutputFormats {
		m := strings.ToLower(o.MIME)
		if m == f || (!strings.Contains(f, ";") && strings.TrimSpace(strings.SplitN(m, ";", 2)[0]) == f) {
			return true
		}
		for _, a := range o.Aliases {
			if strings.EqualFold(a, f) {
				return true
			}
		}
	}
	return false
}

// TableSet is a VODataService tableset, as returned by {tap}/tables.
type TableSet struct {
	Schemas []Schema
}

// Table returns the table with the given (qualified) name, compared
// case-insensitively, or nil.
func (ts *TableSet) Table(name string) *Table {
	for i := range ts.Schemas {
		for j := range ts.Schemas[i].Tables {
			if strings.EqualFold(ts.Schemas[i].Tables[j].Name, name) {
				return &ts.Schemas[i].Tables[j]
			}
		}
	}
	return nil
}

// Schema is a group of tables.
type Schema struct {
	Name        string
	Title       string
	Description string
	UType       string
	Tables      []Table
}

// Table describes one table.
type Table struct {
	Name        string
	Title       string
	Description string
	UType       string
	Type        string // table type attribute: "table", "view", "output"
	NRows       int64  // -1 when not given
	Columns     []Column
	ForeignKeys []ForeignKey
}

// Column returns the column with the given name (case-insensitive), or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

// Column describes one column of a table.
type Column struct {
	Name        string
	Description string
	Unit        string
	UCD         string
	UType       string
	XType       string
	DataType    string // e.g. "VARCHAR", "double"
	TypeSystem  string // xsi:type of dataType, e.g. "vs:TAPType", "vs:VOTableType"
	ArraySize   string
	Size        string
	Flags       []string // "indexed", "primary", "nullable", "std"
}

// ForeignKey links columns of a table to another table.
type ForeignKey struct {
	TargetTable string
	From        []string
	Target      []string
	Description string
	UType       string
}

// ParseTableSet reads a VODataService tableset document, or a single
// <table> document as returned by {tap}/tables/{name}.
func ParseTableSet(r io.Reader) (*TableSet, error) {
	root, err := parseTree(r)
	if err != nil {
		return nil, fmt.Errorf("VOSI tables: %w", err)
	}
	ts := &TableSet{}
	switch root.name {
	case "tableset":
		if len(root.all("schema")) == 0 {
			return nil, errors.New("VOSI tables: <tableset> has no <schema>")
		}
		for _, s := range root.all("schema") {
			schema := Schema{}
			for _, f := range []struct {
				n   string
				dst *string
			}{{"name", &schema.Name}, {"title", &schema.Title}, {"description", &schema.Description}, {"utype", &schema.UType}} {
				if *f.dst, err = s.childText(f.n); err != nil {
					return nil, fmt.Errorf("VOSI tables: schema %q: %w", schema.Name, err)
				}
			}
			if schema.Name == "" {
				return nil, fmt.Errorf("VOSI tables: <schema> without <name> (line %d)", s.line)
			}
			for _, t := range s.all("table") {
				tab, err := tableFromNode(t)
				if err != nil {
					return nil, fmt.Errorf("VOSI tables: schema %s: %w", schema.Name, err)
				}
				schema.Tables = append(schema.Tables, tab)
			}
			ts.Schemas = append(ts.Schemas, schema)
		}
	case "table":
		tab, err := tableFromNode(root)
		if err != nil {
			return nil, fmt.Errorf("VOSI tables: %w", err)
		}
		ts.Schemas = []Schema{{Tables: []Table{tab}}}
	default:
		return nil, fmt.Errorf("VOSI tables: root element is <%s>, want <tableset> or <table>", root.name)
	}
	return ts, nil
}

func tableFromNode(t *node) (Table, error) {
	tab := Table{Type: t.attr("type"), NRows: -1}
	var err error
	for _, f := range []struct {
		n   string
		dst *string
	}{{"name", &tab.Name}, {"title", &tab.Title}, {"description", &tab.Description}, {"utype", &tab.UType}} {
		if *f.dst, err = t.childText(f.n); err != nil {
			return tab, fmt.Errorf("table %q: %w", tab.Name, err)
		}
	}
	if tab.Name == "" {
		return tab, fmt.Errorf("<table> without <name> (line %d)", t.line)
	}
	nrows, err := t.childText("nrows")
	if err != nil {
		return tab, fmt.Errorf("table %s: %w", tab.Name, err)
	}
	if nrows != "" {
		n, perr := strconv.ParseInt(nrows, 10, 64)
		if perr != nil || n < 0 {
			return tab, fmt.Errorf("table %s: <nrows> %q is not a non-negative integer", tab.Name, nrows)
		}
		tab.NRows = n
	}
	for _, c := range t.all("column") {
		col := Column{}
		for _, f := range []struct {
			n   string
			dst *string
		}{{"name", &col.Name}, {"description", &col.Description}, {"unit", &col.Unit}, {"ucd", &col.UCD}, {"utype", &col.UType}, {"xtype", &col.XType}} {
			if *f.dst, err = c.childText(f.n); err != nil {
				return tab, fmt.Errorf("table %s: column %q: %w", tab.Name, col.Name, err)
			}
		}
		if col.Name == "" {
			return tab, fmt.Errorf("table %s: <column> without <name> (line %d)", tab.Name, c.line)
		}
		dt, err := c.one("dataType")
		if err != nil {
			return tab, fmt.Errorf("table %s: column %s: %w", tab.Name, col.Name, err)
		}
		if dt != nil {
			col.DataType, col.TypeSystem = dt.Text(), dt.attr("type")
			col.ArraySize, col.Size = dt.attr("arraysize"), dt.attr("size")
			if err := checkDataType(col); err != nil {
				return tab, fmt.Errorf("table %s: column %s: %w", tab.Name, col.Name, err)
			}
		}
		for _, f := range c.all("flag") {
			col.Flags = append(col.Flags, f.Text())
		}
		tab.Columns = append(tab.Columns, col)
	}
	for _, fk := range t.all("foreignKey") {
		k := ForeignKey{}
		for _, f := range []struct {
			n   string
			dst *string
		}{{"targetTable", &k.TargetTable}, {"description", &k.Description}, {"utype", &k.UType}} {
			if *f.dst, err = fk.childText(f.n); err != nil {
				return tab, fmt.Errorf("table %s: foreign key: %w", tab.Name, err)
			}
		}
		if k.TargetTable == "" {
			return tab, fmt.Errorf("table %s: foreign key without <targetTable>", tab.Name)
		}
		for _, fc := range fk.all("fkColumn") {
			from, err1 := fc.childText("fromColumn")
			target, err2 := fc.childText("targetColumn")
			if err := errors.Join(err1, err2); err != nil {
				return tab, fmt.Errorf("table %s: foreign key to %s: %w", tab.Name, k.TargetTable, err)
			}
			if from == "" || target == "" {
				return tab, fmt.Errorf("table %s: foreign key to %s: <fkColumn> needs <fromColumn> and <targetColumn>", tab.Name, k.TargetTable)
			}
			k.From, k.Target = append(k.From, from), append(k.Target, target)
		}
		tab.ForeignKeys = append(tab.ForeignKeys, k)
	}
	return tab, nil
}

// tapTypes and votableTypes are the datatype vocabularies of VODataService
// 1.1/1.2 (vs:TAPType and vs:VOTableType).
var tapTypes = map[string]bool{
	"BOOLEAN": true, "SMALLINT": true, "INTEGER": true, "BIGINT": true, "REAL": true, "DOUBLE": true,
	"TIMESTAMP": true, "CHAR": true, "VARCHAR": true, "BINARY": true, "VARBINARY": true, "POINT": true,
	"REGION": true, "CLOB": true, "BLOB": true,
}

var votableTypes = map[string]bool{
	"boolean": true, "bit": true, "unsignedByte": true, "short": true, "int": true, "long": true,
	"char": true, "unicodeChar": true, "float": true, "double": true, "floatComplex": true, "doubleComplex": true,
}

func checkDataType(c Column) error {
	sys := c.TypeSystem
	if i := strings.IndexByte(sys, ':'); i >= 0 {
		sys = sys[i+1:]
	}
	switch sys {
	case "TAPType", "TAP":
		if !tapTypes[strings.ToUpper(c.DataType)] {
			return fmt.Errorf("datatype %q is not a TAP type", c.DataType)
		}
	case "VOTableType", "VOTable":
		if !votableTypes[c.DataType] {
			return fmt.Errorf("datatype %q is not a VOTable type", c.DataType)
		}
	}
	if c.Size != "" {
		if n, err := strconv.ParseInt(c.Size, 10, 64); err != nil || n < 0 {
			return fmt.Errorf("size %q is not a non-negative integer", c.Size)
		}
	}
	if c.ArraySize != "" && !validArraySize(c.ArraySize) {
		return fmt.Errorf("arraysize %q is malformed", c.ArraySize)
	}
	return nil
}

// validArraySize checks the VOTable arraysize syntax: "*", "n", "n*" and
// "AxBx..." with the last dimension optionally variable.
func validArraySize(s string) bool {
	dims := strings.Split(s, "x")
	for i, d := range dims {
		if i == len(dims)-1 && strings.HasSuffix(d, "*") {
			d = strings.TrimSuffix(d, "*")
			if d == "" {
				continue
			}
		}
		if d == "" {
			return false
		}
		for _, r := range d {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

// Availability is a VOSI availability document.
type Availability struct {
	Available bool
	UpSince   time.Time // zero when absent or unreadable
	DownAt    time.Time
	BackAt    time.Time
	Notes     []string
}

// ParseAvailability reads a VOSI availability document. Unreadable dates
// (services write "2000-00-00") are left zero rather than refused, since
// only <available> matters to a client.
func ParseAvailability(r io.Reader) (*Availability, error) {
	root, err := parseTree(r)
	if err != nil {
		return nil, fmt.Errorf("VOSI availability: %w", err)
	}
	if root.name != "availability" {
		return nil, fmt.Errorf("VOSI availability: root element is <%s>, want <availability>", root.name)
	}
	av, err := root.childText("available")
	if err != nil {
		return nil, fmt.Errorf("VOSI availability: %w", err)
	}
	a := &Availability{}
	switch strings.ToLower(av) {
	case "true", "1":
		a.Available = true
	case "false", "0":
	default:
		return nil, fmt.Errorf("VOSI availability: <available> is %q, want true or false", av)
	}
	for _, f := range []struct {
		n   string
		dst *time.Time
	}{{"upSince", &a.UpSince}, {"downAt", &a.DownAt}, {"backAt", &a.BackAt}} {
		s, err := root.childText(f.n)
		if err != nil {
			return nil, fmt.Errorf("VOSI availability: %w", err)
		}
		*f.dst, _ = parseUWSTime(s)
	}
	for _, n := range root.all("note") {
		a.Notes = append(a.Notes, n.Text())
	}
	return a, nil
}
