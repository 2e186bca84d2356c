package recorded

// The connectors of this repository, imported for the reply formats they
// register with connectors.Register. A program reading the replies of its
// own connector imports that connector's package the same way.
import (
	_ "github.com/arcsecond-go/arcsecond/connectors/chandra"
	_ "github.com/arcsecond-go/arcsecond/connectors/eso"
	_ "github.com/arcsecond-go/arcsecond/connectors/euclid"
	_ "github.com/arcsecond-go/arcsecond/connectors/fermi"
	_ "github.com/arcsecond-go/arcsecond/connectors/gemini"
	_ "github.com/arcsecond-go/arcsecond/connectors/hst"
	_ "github.com/arcsecond-go/arcsecond/connectors/ixpe"
	_ "github.com/arcsecond-go/arcsecond/connectors/jsonl"
	_ "github.com/arcsecond-go/arcsecond/connectors/jwst"
	_ "github.com/arcsecond-go/arcsecond/connectors/mast"
	_ "github.com/arcsecond-go/arcsecond/connectors/nicer"
	_ "github.com/arcsecond-go/arcsecond/connectors/nustar"
	_ "github.com/arcsecond-go/arcsecond/connectors/obscore"
	_ "github.com/arcsecond-go/arcsecond/connectors/obsloctap"
	_ "github.com/arcsecond-go/arcsecond/connectors/rubin"
	_ "github.com/arcsecond-go/arcsecond/connectors/swift"
	_ "github.com/arcsecond-go/arcsecond/connectors/tess"
	_ "github.com/arcsecond-go/arcsecond/connectors/xmm"
	_ "github.com/arcsecond-go/arcsecond/connectors/xrism"
)
