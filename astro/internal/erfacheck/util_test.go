//go:build erfa

package erfacheck

import "strconv"

func strconvFormat(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }
