package hst

import (
	"github.com/arcsecond-go/arcsecond/connectors/mast"
)

// The MAST reply and its parts, as package mast decodes them.
type (
	MASTStatus = mast.Status
	MASTPaging = mast.Paging
	MASTReply  = mast.Reply
	mastRow    = mast.Row
)

// The statuses of a MAST invoke reply.
const (
	MASTComplete  = mast.Complete
	MASTExecuting = mast.Executing
	MASTError     = mast.Error
)

// Reasons for which a record does not become an activity (keys of
// connectors.Reply.Skipped).
const (
	SkipOtherCollection = mast.SkipOtherCollection + "HST" // HLA, GALEX, ... rows of a cone search
	SkipCalibration     = mast.SkipCalibration             // calibration targets and exposures
	SkipAcquisition     = "acquisition"                    // target acquisitions
	SkipNoTime          = mast.SkipNoTime                  // no t_min / begin time
	SkipNoID            = mast.SkipNoID
)

// ParseMAST decodes a reply of MAST's Mast.Caom.Filtered (or Mast.Caom.Cone)
// service and normalizes each HST row into an archived activity of
// hst-mast (mast.Parse with collection HST).
//
// A reply still EXECUTING has a nil Result (ask again); an ERROR reply is an
// error carrying MAST's message. A column missing from "fields", or a value
// of the wrong type, is a *connectors.SchemaError naming the column.
func ParseMAST(b []byte) (*MASTReply, error) { return mast.Parse(b, MASTName, "HST") }

// ParseSRegion reads the polygons of an STC-S s_region (mast.ParseSRegion).
func ParseSRegion(s string) ([][][2]float64, error) { return mast.ParseSRegion(s) }
