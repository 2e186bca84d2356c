// Package adql builds ADQL query text safely from untrusted values.
//
// Values never become ADQL syntax: String quotes a character literal by
// doubling single quotes, Ident writes a delimited identifier by doubling
// double quotes (or leaves a plain identifier as it is), and numbers are
// formatted by the package. Sprintf combines them with placeholders:
//
//	q, err := adql.Sprintf(
//		"SELECT TOP %d * FROM %i WHERE target_name = %s AND s_ra > %f",
//		100, []string{"ivoa", "obscore"}, userTarget, minRA)
//
// Whatever userTarget holds (quotes, comments, semicolons, newlines), it
// stays inside the literal.
package adql

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// String returns s as an ADQL character literal, each single quote
// doubled:
//
//	String("O'Brien") == "'O''Brien'"
//
// It returns an error for text that is not valid UTF-8 or that contains a
// NUL byte, which no service can store and some truncate at, and for text
// with a backslash just before a quote or at its end (see ErrBackslash).
func String(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("adql: string literal is not valid UTF-8")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", errors.New("adql: string literal contains a NUL byte")
	}
	if err := checkBackslash(s, '\''); err != nil {
		return "", err
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

// ErrBackslash is returned for text in which a backslash stands just
// before a quote, or last. ADQL gives the backslash no meaning, but some
// services' parsers read \' as an escaped quote (GAVO DaCHS 2.7 does):
// with them, a quoted value like a\' OR 1=1 -- would end the literal early
// and inject ADQL. No quoting is read the same way by both kinds of
// parser, so such text is refused. Other backslashes cannot end a literal
// under either reading (DaCHS may still refuse the query as unparsable).
var ErrBackslash = errors.New("adql: a backslash before a quote (or at the end) is read as an escape by some TAP services; refused")

func checkBackslash(s string, quote byte) error {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && (i+1 == len(s) || s[i+1] == quote) {
			return ErrBackslash
		}
	}
	return nil
}

// MustString is String for literals known to be valid; it panics otherwise.
func MustString(s string) string {
	q, err := String(s)
	if err != nil {
		panic(err)
	}
	return q
}

// Ident returns a (possibly qualified) identifier: each part is written
// as it is when it is a regular identifier that is not a reserved word, and
// as a delimited identifier ("my col", with " doubled) otherwise. Parts are
// joined with dots: Ident("ivoa", "obscore") is ivoa.obscore. Note that
// delimited identifiers are case-sensitive.
func Ident(parts ...string) (string, error) {
	if len(parts) == 0 {
		return "", errors.New("adql: empty identifier")
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		if p == "" {
			return "", errors.New("adql: empty identifier part")
		}
		if !utf8.ValidString(p) || strings.IndexByte(p, 0) >= 0 {
			return "", fmt.Errorf("adql: identifier %q is not valid UTF-8 text", p)
		}
		if err := checkBackslash(p, '"'); err != nil {
			return "", fmt.Errorf("adql: identifier %q: %w", p, err)
		}
		if IsRegular(p) && !IsReserved(p) {
			out[i] = p
		} else {
			out[i] = `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
		}
	}
	return strings.Join(out, "."), nil
}

// IsRegular reports whether s is a regular ADQL identifier: a letter
// followed by letters, digits and underscores (ASCII).
func IsRegular(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_'):
		default:
			return false
		}
	}
	return true
}

// IsReserved reports whether s is a reserved word of ADQL 2.1 (its own
// and the SQL ones it reserves), compared case-insensitively.
func IsReserved(s string) bool { return reserved[strings.ToUpper(s)] }

// Float formats a finite number as an ADQL numeric literal.
func Float(v float64) (string, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "", fmt.Errorf("adql: %v has no ADQL literal", v)
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if v < 0 {
		// Parenthesised, so that "x -%f" cannot become a comment "--".
		return "(" + s + ")", nil
	}
	return s, nil
}

// Int formats an integer as an ADQL literal.
func Int(v int64) string {
	if v < 0 {
		return "(" + strconv.FormatInt(v, 10) + ")"
	}
	return strconv.FormatInt(v, 10)
}

// Timestamp formats t as an ISO 8601 character literal in UTC, the form
// TAP services compare with TIMESTAMP columns.
func Timestamp(t time.Time) string {
	return "'" + t.UTC().Format("2006-01-02T15:04:05.999999") + "'"
}

// Sprintf fills a query template. Verbs:
//
//	%s  a string, as a character literal
//	%i  an identifier: a string, or a []string of qualified parts
//	%d  an integer
//	%f  a float (or an integer), as a numeric literal
//	%t  a time.Time, as a timestamp literal
//	%v  by the value's type: string → %s, integers → %d, floats → %f,
//	    time.Time → %t
//	%%  a percent sign
//
// Any other verb, a wrong type or a wrong number of arguments is an error;
// the template itself is trusted text.
func Sprintf(format string, args ...any) (string, error) {
	var b strings.Builder
	n := 0
	next := func(verb byte) (any, error) {
		if n >= len(args) {
			return nil, fmt.Errorf("adql: %%%c has no argument", verb)
		}
		n++
		return args[n-1], nil
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(format) {
			return "", errors.New("adql: template ends with %")
		}
		verb := format[i]
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		a, err := next(verb)
		if err != nil {
			return "", err
		}
		s, err := format1(verb, a, n)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	if n != len(args) {
		return "", fmt.Errorf("adql: %d arguments for %d placeholders", len(args), n)
	}
	return b.String(), nil
}

func format1(verb byte, a any, n int) (string, error) {
	bad := func() (string, error) {
		return "", fmt.Errorf("adql: argument %d: %%%c cannot format %T", n, verb, a)
	}
	if verb == 'v' {
		switch a.(type) {
		case string:
			verb = 's'
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			verb = 'd'
		case float32, float64:
			verb = 'f'
		case time.Time:
			verb = 't'
		default:
			return bad()
		}
	}
	switch verb {
	case 's':
		s, ok := a.(string)
		if !ok {
			return bad()
		}
		return String(s)
	case 'i':
		switch v := a.(type) {
		case string:
			return Ident(v)
		case []string:
			return Ident(v...)
		}
		return bad()
	case 'd':
		if v, ok := toInt(a); ok {
			return Int(v), nil
		}
		if u, ok := a.(uint64); ok {
			return strconv.FormatUint(u, 10), nil
		}
		if u, ok := a.(uint); ok {
			return strconv.FormatUint(uint64(u), 10), nil
		}
		return bad()
	case 'f':
		switch v := a.(type) {
		case float64:
			return Float(v)
		case float32:
			return Float(float64(v))
		}
		if v, ok := toInt(a); ok {
			return Int(v), nil
		}
		return bad()
	case 't':
		if t, ok := a.(time.Time); ok {
			return Timestamp(t), nil
		}
		return bad()
	}
	return "", fmt.Errorf("adql: unknown verb %%%c", verb)
}

func toInt(a any) (int64, bool) {
	switch v := a.(type) {
	case int:
		return int64(v), true
	case int8:
		return int64(v), true
	case int16:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	case uint8:
		return int64(v), true
	case uint16:
		return int64(v), true
	case uint32:
		return int64(v), true
	}
	return 0, false
}

// reserved holds the reserved words listed in ADQL 2.1 (IVOA
// Recommendation, 2023), section 2.1.3: the SQL reserved words and the
// ADQL function and keyword names.
var reserved = func() map[string]bool {
	words := `ABSOLUTE ACTION ADD ALL ALLOCATE ALTER AND ANY ARE AS ASC ASSERTION AT
AUTHORIZATION AVG BEGIN BETWEEN BIT BIT_LENGTH BOTH BY CASCADE CASCADED CASE CAST
CATALOG CHAR CHARACTER CHAR_LENGTH CHARACTER_LENGTH CHECK CLOSE COALESCE COLLATE
COLLATION COLUMN COMMIT CONNECT CONNECTION CONSTRAINT CONSTRAINTS CONTINUE CONVERT
CORRESPONDING COUNT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP
CURRENT_USER CURSOR DATE DAY DEALLOCATE DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED
DELETE DESC DESCRIBE DESCRIPTOR DIAGNOSTICS DISCONNECT DISTINCT DOMAIN DOUBLE DROP
ELSE END END-EXEC ESCAPE EXCEPT EXCEPTION EXEC EXECUTE EXISTS EXTERNAL EXTRACT
FALSE FETCH FIRST FLOAT FOR FOREIGN FOUND FROM FULL GET GLOBAL GO GOTO GRANT GROUP
HAVING HOUR IDENTITY IMMEDIATE IN INDICATOR INITIALLY INNER INPUT INSENSITIVE INSERT
INT INTEGER INTERSECT INTERVAL INTO IS ISOLATION JOIN KEY LANGUAGE LAST LEADING LEFT
LEVEL LIKE LOCAL LOWER MATCH MAX MIN MINUTE MODULE MONTH NAMES NATIONAL NATURAL NCHAR
NEXT NO NOT NULL NULLIF NUMERIC OCTET_LENGTH OF ON ONLY OPEN OPTION OR ORDER OUTER
OUTPUT OVERLAPS PAD PARTIAL POSITION PRECISION PREPARE PRESERVE PRIMARY PRIOR
PRIVILEGES PROCEDURE PUBLIC READ REAL REFERENCES RELATIVE RESTRICT REVOKE RIGHT
ROLLBACK ROWS SCHEMA SCROLL SECOND SECTION SELECT SESSION SESSION_USER SET SIZE
SMALLINT SOME SPACE SQL SQLCODE SQLERROR SQLSTATE SUBSTRING SUM SYSTEM_USER TABLE
TEMPORARY THEN TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TO TRAILING TRANSACTION
TRANSLATE TRANSLATION TRIM TRUE UNION UNIQUE UNKNOWN UPDATE UPPER USAGE USER USING
VALUE VALUES VARCHAR VARYING VIEW WHEN WHENEVER WHERE WITH WORK WRITE YEAR ZONE
ABS ACOS ASIN ATAN ATAN2 CEILING COS DEGREES EXP FLOOR LOG LOG10 MOD PI POWER RADIANS
RAND ROUND SIN SQRT TAN TOP TRUNCATE AREA BOX CENTROID CIRCLE CONTAINS COORD1 COORD2
COORDSYS DISTANCE INTERSECTS POINT POLYGON REGION BIT_AND BIT_OR BIT_XOR BIT_NOT
ILIKE OFFSET IN_UNIT LOWER GREATEST LEAST`
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}()
