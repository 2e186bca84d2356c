// Package replayset embeds the recorded replies that a replaying node
// (arcsecond.ReplayOptions, activityd --replay) plays by default, so that
// an installed binary replays from any folder, with no checkout of the
// repository.
//
// The files are byte-for-byte copies of the recorded replies shipped in the
// connectors' testdata folders (files/<connector>/<name> is
// connectors/<connector>/testdata/<name>); PROVENANCE.md says where each
// comes from, and a test keeps the copies equal to the originals.
package replayset

import (
	"embed"
	"io/fs"
)

//go:embed files
var files embed.FS

// FS returns the recorded replies, as <connector>/<file name>.
func FS() fs.FS {
	sub, err := fs.Sub(files, "files")
	if err != nil { // cannot happen: "files" is a valid path
		panic(err)
	}
	return sub
}
