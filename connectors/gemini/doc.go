// Package gemini is the activity source for the Gemini Observatory archive
// (https://archive.gemini.edu): the frames taken at Gemini North and Gemini
// South, as the archive's /jsonsummary service lists them, with the
// programme's PI and title from the /programinfo pages.
//
// Every science frame becomes an activity of kind archived (the frame is in
// the archive, whether or not its proprietary period has ended; the release
// date is the archive's business). Calibration, acquisition and
// engineering frames, processed products and frames that failed QA are
// skipped and counted by reason (see [Source.Warnings]).
//
// Queries use the archive's path-term syntax (see [Query]); by default
// they exclude engineering data and failed frames ("notengineering",
// "NotFail"). The archive cuts replies at a row limit and marks the last
// record with "results_truncated"; the source then yields an
// *connectors.TruncatedError after the records (errors.Is(err,
// ErrTruncated)).
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
// [ParseJSONSummary] and [ParseProgramInfo] work on recorded bytes, with no
// network.
package gemini
