package schedfile

import (
	"errors"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/vo/tap"
)

// TAPError classifies an error of the TAP client (connectors/vo/tap) under
// the shared kinds, as package obscore does for the services it reads
// without a token: a *tap.ServiceError by its HTTP status (401 and 403
// are connectors.ErrAuthRequired), a temporary one as
// connectors.ErrUnavailable, and a refused query (QUERY_STATUS=ERROR, a
// failed job) as connectors.ErrRejected. Other errors go through
// connectors.Classify.
func TAPError(err error) error {
	var se *tap.ServiceError
	if err == nil || connectors.KindOf(err) != nil || !errors.As(err, &se) {
		return connectors.Classify(err)
	}
	switch {
	case se.StatusCode != 0:
		return connectors.WithKind(err, connectors.StatusKind(se.StatusCode, false))
	case se.Temporary():
		return connectors.WithKind(err, connectors.ErrUnavailable)
	default:
		return connectors.WithKind(err, connectors.ErrRejected)
	}
}
