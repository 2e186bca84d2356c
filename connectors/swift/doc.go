// Package swift is the activity source for the Neil Gehrels Swift
// Observatory, from the Swift API (https://www.swift.psu.edu/api/v2): the
// as-flown timeline (/swift/obsquery) gives completed observations, the
// pre-planned science timeline (/swift/planquery) planned ones.
//
// Snapshots are grouped by observation ID (target ID and segment): each
// observation is one activity "swift:<obsid>". A planned observation and
// its as-flown counterpart share the ID; the completed one has the higher
// revision (activities.Revision ranks completed above planned), so a feed
// replaces the planned record when the as-flown timeline covers it. Replies
// are read in the API v2 shape of its own client (entries with
// target_name, target_id, segment, obs_id, begin, end, settle, ra, dec,
// roll and integer xrt_mode, uvot_mode, bat_mode; a status object or bare
// string). The exposure of an as-flown snapshot is end − settle (the slew
// excluded); a planned snapshot has none in the reply and gets end − begin.
// XRT mode codes are named, UVOT modes decoded into their filters; unknown
// ones are counted warnings.
//
// The timelines give Swift spacecraft time, not UTC. A [Source] corrects
// every start and end with one batched request to the API's /swift/clock
// (UTC = spacecraft time + UTCF, leap seconds and clock drift included) and
// records the correction on each activity as a link to that request. When
// the clock service fails, the last UTCF the source received is applied,
// or, with none, the times are left in spacecraft time (tens of seconds
// off); a counted warning (WarnClockLast, WarnClockUncorrect) and the
// link's title say which. [ParseTimeline] on a recorded reply leaves the
// times uncorrected and says so (WarnSpacecraftTime). The upstream source
// of each field is in testdata/PROVENANCE.md.
//
//	res, err := swift.ParseTimeline(body, swift.Planned)
//	if err != nil { ... }
//	for _, a := range res.Activities { fmt.Println(a) }
package swift
