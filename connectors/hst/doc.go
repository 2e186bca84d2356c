// Package hst holds the two Hubble Space Telescope activity sources:
//
//   - "hst-mast" ([MASTSource]): observations completed and archived at
//     MAST (package connectors/mast with collection HST, under this name),
//     from POST https://mast.stsci.edu/api/v0/invoke with
//     Mast.Caom.Filtered (obs_collection=HST and a t_min window); the
//     request is re-POSTed while MAST answers EXECUTING, pages are
//     followed up to a cap, and a listing cut by the cap ends with an
//     error matching connectors.ErrTruncated. Activities are of kind archived.
//   - "hst-timeline" ([TimelineSource]): exposures planned in the STScI
//     weekly observing timeline (fixed-width text with page headers and
//     continuation rows). Activities are of kind planned; calibration
//     targets and acquisitions are skipped and counted. A row's Begin UT
//     and End UT are its scheduling unit's window (earliest start, latest
//     end, shared by the SU's exposures: STScI, "How to Read a Weekly
//     Timeline"), so an activity's Start and End bound the exposure
//     without timing it; its Exposure is the row's exposure time, never
//     the window's length, and is dropped (counted) if longer than the
//     window.
//
// [ParseMAST] and [ParseTimeline] work on recorded bytes:
//
//	res, err := hst.ParseTimeline(body)
//	if err != nil { ... }
//	for _, a := range res.Activities { fmt.Println(a) }
//
// The timeline gives no coordinates. With Options.PAECURL set (for example
// to [DefaultPAECURL]), the timeline source fetches the Planned and
// Archived Exposure Catalog once a day and places each activity whose
// target and proposal it lists ([ParsePAEC], [Positions]); others keep no
// position and are counted.
package hst
