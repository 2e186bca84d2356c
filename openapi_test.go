package arcsecond

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const openAPIURL = "https://arcsecond.invalid/openapi.json"

// openAPIDoc is the decoded document and a compiler holding it, shared by
// the tests that check requests and answers against it.
var openAPIDoc = sync.OnceValues(func() (map[string]any, *jsonschema.Compiler) {
	var doc map[string]any
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		panic(fmt.Sprintf("openapi.json: %v", err))
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(OpenAPI))
	if err != nil {
		panic(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(openAPIURL, inst); err != nil {
		panic(err)
	}
	return doc, c
})

var schemaCache sync.Map // JSON pointer → *jsonschema.Schema

// schemaAt compiles the schema at the JSON pointer ptr of the document.
func schemaAt(t testing.TB, ptr string) *jsonschema.Schema {
	t.Helper()
	if s, ok := schemaCache.Load(ptr); ok {
		return s.(*jsonschema.Schema)
	}
	_, c := openAPIDoc()
	s, err := c.Compile(openAPIURL + "#" + ptr)
	if err != nil {
		t.Fatalf("compiling the schema at %s: %v", ptr, err)
	}
	schemaCache.Store(ptr, s)
	return s
}

func pointerToken(s string) string {
	return url.PathEscape(strings.NewReplacer("~", "~0", "/", "~1").Replace(s))
}

// TestOpenAPIValid checks openapi.json against the OpenAPI 3.1 schema (the
// variant requiring the base dialect for every schema) with a maintained
// JSON Schema validator.
func TestOpenAPIValid(t *testing.T) {
	c := jsonschema.NewCompiler()
	for file, id := range map[string]string{
		"schema-base.json":  "https://spec.openapis.org/oas/3.1/schema-base/2021-04-15",
		"schema.json":       "https://spec.openapis.org/oas/3.1/schema/2021-04-15",
		"dialect-base.json": "https://spec.openapis.org/oas/3.1/dialect/base",
		"meta-base.json":    "https://spec.openapis.org/oas/3.1/meta/base",
	} {
		f, err := os.Open(filepath.Join("testdata", "openapi-3.1", file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := c.AddResource(id, doc); err != nil {
			t.Fatal(err)
		}
	}
	meta, err := c.Compile("https://spec.openapis.org/oas/3.1/schema-base/2021-04-15")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(OpenAPI))
	if err != nil {
		t.Fatal(err)
	}
	if err := meta.Validate(inst); err != nil {
		t.Fatalf("openapi.json is not valid OpenAPI 3.1: %v", err)
	}
	// The meta-schema can fail: a response without description is refused.
	var broken map[string]any
	json.Unmarshal(OpenAPI, &broken)
	ok := broken["paths"].(map[string]any)["/healthz"].(map[string]any)["get"].(map[string]any)["responses"].(map[string]any)["200"]
	delete(ok.(map[string]any), "description")
	b, _ := json.Marshal(broken)
	inst, _ = jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if meta.Validate(inst) == nil {
		t.Fatal("a document with a response without description passed")
	}
	// Every schema of the document compiles.
	doc, _ := openAPIDoc()
	for name := range doc["components"].(map[string]any)["schemas"].(map[string]any) {
		schemaAt(t, "/components/schemas/"+pointerToken(name))
	}
}

// TestOpenAPIRoutes checks that every route the handler registers is
// documented, and every documented operation is a route.
func TestOpenAPIRoutes(t *testing.T) {
	// The routes registered in the package's source (http.go and the
	// files it delegates to, such as http_astro.go).
	files, _ := filepath.Glob("*.go")
	var src []byte
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src = append(src, b...)
		}
	}
	re := regexp.MustCompile(`(?:handle|mux\.Handle|mux\.HandleFunc)\("(?:([A-Z]+) )?(/[^"]*)"`)
	var routes []string
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		method := m[1]
		if method == "" {
			method = "GET" // the catch-all serves the dashboard to GET
		}
		routes = append(routes, method+" "+m[2])
	}
	if len(routes) < 15 {
		t.Fatalf("found only %d routes in http.go: %v", len(routes), routes)
	}
	doc, _ := openAPIDoc()
	var documented []string
	for p, item := range doc["paths"].(map[string]any) {
		for m := range item.(map[string]any) {
			documented = append(documented, strings.ToUpper(m)+" "+p)
		}
	}
	slices.Sort(routes)
	slices.Sort(documented)
	for _, r := range routes {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not documented in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routes, d) {
			t.Errorf("openapi.json documents %s, which the handler does not serve", d)
		}
	}
}

// TestOpenAPIStatuses checks that every status code the handlers' code
// answers appears in the document.
func TestOpenAPIStatuses(t *testing.T) {
	doc, _ := openAPIDoc()
	documented := map[int]bool{}
	for _, item := range doc["paths"].(map[string]any) {
		for _, op := range item.(map[string]any) {
			for code := range op.(map[string]any)["responses"].(map[string]any) {
				n, _ := strconv.Atoi(code)
				documented[n] = true
			}
		}
	}
	files, _ := filepath.Glob("*.go")
	more, _ := filepath.Glob("auth/*.go")
	reConst := regexp.MustCompile(`http\.Status([A-Z][A-Za-z]+)`)
	reLit := regexp.MustCompile(`(?:writeJSON|WriteHeader|WriteError)\(w, ([0-9]{3})`)
	names := map[string]int{}
	for code := 100; code < 600; code++ {
		if s := http.StatusText(code); s != "" {
			names[strings.NewReplacer(" ", "", "-", "", "'", "").Replace(s)] = code
		}
	}
	names["RequestEntityTooLarge"] = 413
	found := 0
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range reConst.FindAllStringSubmatch(string(b), -1) {
			code, ok := names[m[1]]
			if !ok {
				t.Errorf("%s: unknown status constant http.Status%s", f, m[1])
				continue
			}
			found++
			if !documented[code] {
				t.Errorf("%s answers %d (http.Status%s), which openapi.json does not document", f, code, m[1])
			}
		}
		for _, m := range reLit.FindAllStringSubmatch(string(b), -1) {
			code, _ := strconv.Atoi(m[1])
			found++
			if !documented[code] {
				t.Errorf("%s answers %d, which openapi.json does not document", f, code)
			}
		}
	}
	if found < 20 {
		t.Fatalf("found only %d status codes in the handlers", found)
	}
}

// findOperation returns the document's path template and operation for
// a request, and the operation's JSON pointer.
func findOperation(doc map[string]any, method, escapedPath string) (string, map[string]any) {
	segs := strings.Split(escapedPath, "/")
	for p, item := range doc["paths"].(map[string]any) {
		ts := strings.Split(p, "/")
		if len(ts) != len(segs) {
			continue
		}
		ok := true
		for i := range ts {
			if ts[i] != segs[i] && !(strings.HasPrefix(ts[i], "{") && segs[i] != "") {
				ok = false
				break
			}
		}
		if ok {
			op, _ := item.(map[string]any)[strings.ToLower(method)].(map[string]any)
			return p, op
		}
	}
	// The dashboard serves every other path.
	op, _ := doc["paths"].(map[string]any)["/"].(map[string]any)[strings.ToLower(method)].(map[string]any)
	return "/", op
}

// checkAPI checks a request the tests sent and its answer against the
// document: the operation and status are documented, a request body
// that was accepted conforms, and a JSON answer conforms.
func checkAPI(t testing.TB, req *http.Request, reqBody []byte, resp *http.Response, body []byte) {
	t.Helper()
	doc, _ := openAPIDoc()
	p, op := findOperation(doc, req.Method, req.URL.EscapedPath())
	if op == nil {
		switch {
		case resp.StatusCode == http.StatusMethodNotAllowed:
			return // the mux's answer to a method the path does not serve
		case resp.StatusCode == http.StatusNotFound && strings.HasPrefix(req.URL.Path, "/api/"):
			// The document's description: any other request under /api/
			// is a 404 with an Error.
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
			if err == nil {
				err = schemaAt(t, "/components/schemas/Error").Validate(inst)
			}
			if err != nil {
				t.Errorf("openapi: %s %s: 404 is not an Error: %v: %s", req.Method, req.URL.Path, err, body)
			}
			return
		}
		t.Errorf("openapi: %s %s (%d) is not documented", req.Method, req.URL.Path, resp.StatusCode)
		return
	}
	opPtr := "/paths/" + pointerToken(p) + "/" + strings.ToLower(req.Method)
	code := strconv.Itoa(resp.StatusCode)
	r, ok := op["responses"].(map[string]any)[code].(map[string]any)
	if !ok {
		t.Errorf("openapi: %s %s answered %d, not documented for %s %s: %s", req.Method, req.URL.Path, resp.StatusCode, req.Method, p, body)
		return
	}
	respPtr := opPtr + "/responses/" + code
	if ref, ok := r["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/responses/")
		r = doc["components"].(map[string]any)["responses"].(map[string]any)[name].(map[string]any)
		respPtr = "/components/responses/" + pointerToken(name)
	}
	validate := func(what, ptr string, b []byte) {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Errorf("openapi: %s of %s %s is not JSON: %v: %s", what, req.Method, req.URL.Path, err, b)
			return
		}
		if err := schemaAt(t, ptr).Validate(inst); err != nil {
			t.Errorf("openapi: %s of %s %s does not conform: %v\n%s", what, req.Method, req.URL.Path, err, b)
		}
	}
	// The documented query parameters, when the node accepted them (the
	// node ignores others, as the document says).
	if resp.StatusCode < 300 {
		prms, _ := op["parameters"].([]any)
		for i, prm := range prms {
			prm := prm.(map[string]any)
			v, ok := req.URL.Query()[prm["name"].(string)]
			if prm["in"] != "query" || !ok {
				continue
			}
			// A number where the schema may want one, a string otherwise.
			inst := any(v[0])
			if f, err := strconv.ParseFloat(v[0], 64); err == nil {
				if typ, _ := prm["schema"].(map[string]any)["type"].(string); typ == "integer" || typ == "number" {
					inst = json.Number(strconv.FormatFloat(f, 'g', -1, 64))
				}
			}
			if err := schemaAt(t, fmt.Sprintf("%s/parameters/%d/schema", opPtr, i)).Validate(inst); err != nil {
				t.Errorf("openapi: %s %s accepted the query parameter %s=%q, which its schema refuses: %v", req.Method, req.URL.Path, prm["name"], v[0], err)
			}
		}
	}
	// The request body, when the node accepted it.
	if rb, ok := op["requestBody"].(map[string]any); ok && resp.StatusCode < 300 {
		mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
		if _, ok := rb["content"].(map[string]any)[mt]; !ok {
			t.Errorf("openapi: %s %s accepted a body of undocumented type %q", req.Method, req.URL.Path, mt)
		} else {
			ptr := opPtr + "/requestBody/content/" + pointerToken(mt) + "/schema"
			if mt == "application/json" {
				validate("the request", ptr, reqBody)
			} else { // JSON Lines: each line
				for line := range bytes.Lines(reqBody) {
					if len(bytes.TrimSpace(line)) > 0 {
						validate("a request line", ptr, line)
					}
				}
			}
		}
	}
	content, _ := r["content"].(map[string]any)
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if len(content) == 0 || resp.StatusCode == http.StatusNoContent {
		return
	}
	if _, ok := content[mt]; !ok {
		t.Errorf("openapi: %s %s answered %d as %q, not documented", req.Method, req.URL.Path, resp.StatusCode, mt)
		return
	}
	if mt == "application/json" && req.Method != http.MethodHead {
		validate("the answer", respPtr+"/content/"+pointerToken(mt)+"/schema", body)
	}
}
