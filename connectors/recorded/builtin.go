package recorded

// The connectors of this repository, imported for the reply formats they
// register with connectors.Register. A program reading the replies of its
// own connector imports that connector's package the same way.
import (
	_ "github.com/arcsecond-go/arcsecond/connectors/eso"
	_ "github.com/arcsecond-go/arcsecond/connectors/gemini"
	_ "github.com/arcsecond-go/arcsecond/connectors/hst"
	_ "github.com/arcsecond-go/arcsecond/connectors/jsonl"
	_ "github.com/arcsecond-go/arcsecond/connectors/obscore"
	_ "github.com/arcsecond-go/arcsecond/connectors/swift"
)
