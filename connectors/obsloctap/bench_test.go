package obsloctap

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// BenchmarkNormalize measures rows normalized per second from the recorded
// replies, beside a plain encoding/json decode of the Rubin JSON.
func BenchmarkNormalize(b *testing.B) {
	rubin := archivetest.Read(b, rubinReply)
	b.Run("rubin-json", func(b *testing.B) {
		archivetest.Normalize(b, rubin, func(body []byte) (*connectors.Reply, error) {
			return ParseReply(body, &Converter{Source: Name, Key: KeyObsIDStart})
		})
	})
	b.Run("rubin-json-decode-only", func(b *testing.B) {
		archivetest.DecodeJSON(b, rubin, func(v []map[string]any) int { return len(v) })
	})
	vot := recordedVOTable(b)
	b.Run("dachs-votable", func(b *testing.B) {
		archivetest.Normalize(b, vot, func(body []byte) (*connectors.Reply, error) {
			return ParseReply(body, &Converter{Source: Name})
		})
	})
}
