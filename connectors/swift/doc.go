// Package swift is the activity source for the Neil Gehrels Swift
// Observatory, from the Swift API (https://www.swift.psu.edu/api/v2): the
// as-flown timeline (/swift/obsquery) gives completed observations, the
// pre-planned science timeline (/swift/planquery) planned ones.
//
// Snapshots are grouped by observation ID (target ID and segment): each
// observation is one activity "swift:<obsid>". A planned observation and
// its as-flown counterpart share the ID; the completed one has the higher
// revision (activities.Revision ranks completed above planned), so a feed
// replaces the planned record when the as-flown timeline covers it. The
// exposure of an as-flown snapshot is end − settle (the slew excluded).
// XRT modes are decoded from names or codes, UVOT modes into their filters;
// unknown ones are counted warnings.
//
//	res, err := swift.ParseTimeline(body, swift.Planned)
//	if err != nil { ... }
//	for _, a := range res.Activities { fmt.Println(a) }
package swift
