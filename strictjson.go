package arcsecond

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

// checkStrictJSON holds a request body to rules encoding/json does not
// enforce, answering the offending field (in the "criteria.regions[0].ra"
// form of subscribe.FieldError) and an error:
//
//   - an object's member names are unique ({"id": "a", "id": "b"} would
//     otherwise silently keep the last);
//   - member names are case-sensitive ("ID" would otherwise be read as
//     "id");
//   - names and strings are valid UTF-8 without U+FFFD (invalid bytes and
//     lone surrogate escapes would otherwise be stored as U+FFFD, and an id
//     become unreachable by the bytes the client sent).
//
// Syntax errors are left to the decoder that follows, which reports them.
func checkStrictJSON(b []byte) (field string, err error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	field, err = strictValue(dec, "", 0)
	var se *json.SyntaxError
	if errors.As(err, &se) || errors.Is(err, errSyntax) {
		return "", nil
	}
	return field, err
}

var errSyntax = errors.New("syntax")

// maxJSONDepth bounds the nesting checkStrictJSON follows.
const maxJSONDepth = 64

func strictValue(dec *json.Decoder, path string, depth int) (string, error) {
	if depth > maxJSONDepth {
		return path, fmt.Errorf("%s: nested deeper than %d levels", orBody(path), maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return "", errSyntax
	}
	switch t := tok.(type) {
	case string:
		if !validText(t) {
			return path, fmt.Errorf("%s: invalid UTF-8 (or U+FFFD) in a string", orBody(path))
		}
	case json.Delim:
		switch t {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return "", errSyntax
				}
				k, _ := kt.(string)
				kp := k
				if path != "" {
					kp = path + "." + k
				}
				switch {
				case !validText(k):
					return kp, fmt.Errorf("%s: invalid UTF-8 (or U+FFFD) in a member name", orBody(path))
				case seen[k]:
					return kp, fmt.Errorf("%s: duplicate member %q", orBody(path), k)
				}
				if want, ok := foldedName(k); ok {
					return kp, fmt.Errorf("%s: unknown member %q (names are case-sensitive: %q)", orBody(path), k, want)
				}
				seen[k] = true
				if f, err := strictValue(dec, kp, depth+1); err != nil {
					return f, err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if f, err := strictValue(dec, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
					return f, err
				}
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return "", errSyntax
		}
	}
	return "", nil
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// validText reports whether a decoded string came from valid UTF-8:
// encoding/json turns invalid bytes and lone surrogates into U+FFFD.
func validText(s string) bool { return !strings.ContainsRune(s, '\uFFFD') }

// foldedName reports whether k is not a member name of a subscription but
// equals one but for case, and which.
func foldedName(k string) (string, bool) {
	names := subscriptionNames()
	if names[k] {
		return "", false
	}
	for n := range names {
		if strings.EqualFold(n, k) {
			return n, true
		}
	}
	return "", false
}

// subscriptionNames are the JSON member names of a subscription and of
// everything in it, from the struct tags.
var subscriptionNames = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for f := range t.Fields() {
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			names[name] = true
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[subscribe.Subscription]())
	return names
})
