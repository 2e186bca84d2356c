// Package obscore turns any TAP service that publishes an IVOA ObsCore
// table (ivoa.obscore) into a source of activities, so that an
// observatory can plug its own archive in with one URL.
//
// The source runs, through the project's TAP client (connectors/vo/tap)
// over its HTTP layer (deadlines, retries with backoff and Retry-After),
//
//	SELECT * FROM ivoa.obscore WHERE t_min < {end} AND t_max >= {start} ORDER BY t_min
//
// (times as MJD, optionally with a cone on s_ra/s_dec and a list of
// obs_collection values), with MAXREC. Each row becomes an archived
// activity: facility_name, instrument_name, target_name, s_ra, s_dec,
// s_region (STC-S or DALI polygon), t_min, t_max, t_exptime, proposal_id,
// obs_creator_name, access_url. Its ID is the source name and
// obs_publisher_did (obs_id when absent).
//
// The four requirements of the archive connectors hold here:
//   - schema drift is loud: a missing required column (obs_id, t_min,
//     s_ra, s_dec), text in a number column or an MJD out of range is an
//     *connectors.SchemaError naming the column; a missing optional column
//     or an unknown dataproduct_type is a counted warning naming it;
//   - a listing never hangs: every attempt has a timeout, and the whole
//     listing a deadline (Options.Deadline);
//   - truncation is never silent: a result cut at MAXREC (the service's
//     OVERFLOW, or for CSV a row count reaching MAXREC) ends the listing
//     with an error matching connectors.ErrTruncated, after the rows received;
//   - credentials: a bearer token (Options.Token, or ARCSECOND_OBSCORE_TOKEN
//     for connectors.Open) goes to the service's host only, never into
//     errors or logs; a 401 is a *connectors.AuthError naming the variable;
//   - obs_creator_name is the data's creator (ObsCore 1.1): the PI only in
//     the profiles that say so ([ESOProfile], [ALMAProfile]); otherwise
//     ([GenericProfile]) it is listed in Programme.Investigators;
//   - a cone is INTERSECTS(s_region, CIRCLE('ICRS', ra, dec, r)) = 1: the
//     footprint, not the centre, must meet it.
//
// Example:
//
//	src, err := obscore.New(obscore.Options{URL: "https://dc.g-vo.org/tap", Name: "gavo"})
//	if err != nil { ... }
//	for a, err := range src.Activities(ctx, activities.Window{Start: from, End: to}) {
//		if errors.Is(err, connectors.ErrTruncated) { ... } // narrow the window
//		if err != nil { ... }
//		fmt.Println(a)
//	}
//
// [ParseReply] converts a recorded reply (VOTable or CSV) without a
// network, which is what `arcsecond activities parse --source obscore`
// does. The eso connector builds on this package for ESO's dbo.raw and
// ivoa.ObsCore.
package obscore
