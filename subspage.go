package arcsecond

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// GET /api/subscriptions is paged like GET /api/activities: limit (1-1000,
// default 100) subscriptions in creation order, and next, the cursor of the
// following page ("" on the last), which the client passes back as cursor.

// subsPage selects the page of ids (all the subscriptions' IDs in creation
// order) that r asks for, returning it and the next page's cursor; field
// names what is wrong when err is set.
func subsPage(r *http.Request, ids []string) (page []string, next, field string, err error) {
	v := r.URL.Query()
	limit := 100
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return nil, "", "limit", fmt.Errorf("limit %q is not a number from 1 to 1000", s)
		}
		limit = n
	}
	start := 0
	if c := v.Get("cursor"); c != "" {
		if start, err = subsCursorStart(c, ids); err != nil {
			return nil, "", "cursor", err
		}
	}
	end := min(start+limit, len(ids))
	if end < len(ids) {
		next = subsCursor(end-1, ids[end-1])
	}
	return ids[start:end], next, "", nil
}

// A cursor names the last subscription of a page and its position, the
// position serving when that subscription has been deleted since.
func subsCursor(i int, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(i) + ":" + id))
}

var errSubsCursor = errors.New("cursor is not one this server gave")

func subsCursorStart(c string, ids []string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, errSubsCursor
	}
	pos, id, ok := strings.Cut(string(b), ":")
	i, err := strconv.Atoi(pos)
	if !ok || err != nil || i < 0 {
		return 0, errSubsCursor
	}
	switch {
	case i < len(ids) && ids[i] == id:
		return i + 1, nil
	default:
		if j := slices.Index(ids, id); j >= 0 {
			return j + 1, nil
		}
		// Deleted: those after it moved up by one (further deletions
		// before it may make the next page skip some).
		return min(i, len(ids)), nil
	}
}
