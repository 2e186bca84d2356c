// Package gemini is the activity source for the Gemini Observatory archive
// (https://archive.gemini.edu): the frames taken at Gemini North and Gemini
// South, as the archive's /jsonsummary service lists them, with the
// programme's PI and title from /programinfojson.
//
// Every science frame becomes an activity of kind archived (the frame is in
// the archive, whether or not its proprietary period has ended; the release
// date is the archive's business). Calibration, acquisition and
// engineering frames, processed products and frames that failed QA are
// skipped and counted by reason in the listing's connectors.Stats.
//
// Queries use the archive's path-term syntax (see [Query]); by default
// they exclude engineering data and failed frames ("notengineering",
// "NotFail"). A cone's radius is sent in degrees as "sr=<deg>d" (the
// archive reads a bare number as arcseconds), and "/" in an object name as
// "=slash=". A dated query is closed: the archive cuts it at
// [ClosedResultLimit] rows with no marker, so a reply of exactly that many
// is split at a UT day and asked again until none is cut; a single day
// still cut, or an open query (which the archive always marks
// "results_truncated"), yields a *connectors.TruncatedError after the
// records (errors.Is(err, connectors.ErrTruncated)). The upstream source of
// each parameter and field is in testdata/PROVENANCE.md.
//
// The archive requires a login session for many networks: give the value of
// the "gemini_archive_session" cookie in Config.Settings["session"] or the
// environment variable GEMINI_ARCHIVE_SESSION.
//
//	src, err := gemini.New(gemini.Options{})
//	if err != nil { ... }
//	for a, err := range src.Activities(ctx, activities.Window{Start: t0, End: t1}) {
//		if err != nil { ... }
//		fmt.Println(a)
//	}
//
// [ParseJSONSummary], [ParseProgramInfoJSON] and [ParseProgramInfo] (the
// HTML page) work on recorded bytes, with no network.
package gemini
