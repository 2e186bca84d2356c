package gcn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PacketSize is the size of a GCN Classic binary packet: 40 big-endian
// 32-bit words.
const PacketSize = 160

// ErrUnsupported is matched (errors.Is) by the error for a notice type this
// package recognizes but does not turn into activities or alerts.
var ErrUnsupported = errors.New("notice type not decoded")

// DecodeError says why a notice was refused: its format ("classic" or
// "json"), its type when known, the field at fault and the reason.
type DecodeError struct {
	Format string
	Type   string
	Field  string
	Reason string
	Err    error // ErrUnsupported for a known but undecoded type
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("gcn: ")
	b.WriteString(e.Format)
	b.WriteString(" notice")
	if e.Type != "" {
		b.WriteString(" " + e.Type)
	}
	if e.Field != "" {
		b.WriteString(": field " + e.Field)
	}
	b.WriteString(": " + e.Reason)
	return b.String()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// classicTypes names the packet types (word 0) of GCN Classic: the
// pkt_type numbers of GCN's notice type list (filtering.html, as
// nasa-gcn/pygcn's gcn/notice_types.py lists them) and of the recorded
// packets of nasa-gcn/gcn-classic-to-json (see testdata/PROVENANCE.md).
var classicTypes = map[int32]string{
	2: "TEST_COORDS", 31: "IPN_RAW", 44: "HETE_TEST", 45: "GRB_CNTRPART",
	46: "SWIFT_TOO_FOM", 47: "SWIFT_TOO_SC_SLEW", 51: "INTEGRAL_POINTDIR",
	52: "INTEGRAL_SPIACS", 53: "INTEGRAL_WAKEUP", 54: "INTEGRAL_REFINED",
	55: "INTEGRAL_OFFLINE", 56: "INTEGRAL_WEAK", 59: "KONUS_LC",
	61: "SWIFT_BAT_GRB_POS_ACK", 63: "SWIFT_BAT_GRB_LC", 64: "SWIFT_BAT_SCALEDMAP",
	65: "SWIFT_FOM_OBS", 66: "SWIFT_SC_SLEW", 67: "SWIFT_XRT_POSITION",
	68: "SWIFT_XRT_SPECTRUM", 69: "SWIFT_XRT_IMAGE", 70: "SWIFT_XRT_LC",
	71: "SWIFT_XRT_CENTROID", 72: "SWIFT_UVOT_DBURST", 73: "SWIFT_UVOT_FCHART",
	77: "SWIFT_XRT_SPECTRUM_PROC", 78: "SWIFT_XRT_IMAGE_PROC", 79: "SWIFT_UVOT_DBURST_PROC",
	80: "SWIFT_UVOT_FCHART_PROC", 81: "SWIFT_UVOT_POS", 82: "SWIFT_BAT_GRB_POS_TEST",
	83: "SWIFT_POINTDIR", 84: "SWIFT_BAT_TRANS", 85: "SWIFT_XRT_THRESHPIX",
	86: "SWIFT_XRT_THRESHPIX_PROC", 87: "SWIFT_XRT_SPER", 88: "SWIFT_XRT_SPER_PROC",
	97: "SWIFT_BAT_QL_POS", 103: "SWIFT_ACTUAL_POINTDIR", 109: "AGILE_GRB_POS_TEST",
	110: "FERMI_GBM_ALERT", 111: "FERMI_GBM_FLT_POS", 112: "FERMI_GBM_GND_POS",
	114: "FERMI_GBM_GND_INTERNAL", 115: "FERMI_GBM_FIN_POS", 116: "FERMI_GBM_ALERT_INTERNAL",
	117: "FERMI_GBM_FLT_INTERNAL", 119: "FERMI_GBM_POS_TEST", 124: "FERMI_LAT_POS_TEST",
	125: "FERMI_LAT_MONITOR", 128: "FERMI_LAT_OFFLINE", 129: "FERMI_POINTDIR",
	131: "FERMI_GBM_SUBTHRESH", 134: "MAXI_UNKNOWN", 136: "MAXI_TEST", 145: "COINCIDENCE",
	149: "SNEWS", 150: "LVC_PRELIMINARY", 151: "LVC_INITIAL", 152: "LVC_UPDATE",
	159: "UNKNOWN", 160: "CALET_GBM_FLT_LC", 164: "LVC_RETRACTION", 175: "SK_SN",
	176: "ICECUBE_CASCADE", 188: "GECAM_FLT", 189: "GECAM_GND",
}

// ClassicTypeName names a GCN Classic packet type ("SWIFT_POINTDIR"), or
// "type N" for a number this package does not know.
func ClassicTypeName(t int32) string {
	if n, ok := classicTypes[t]; ok {
		return n
	}
	return "type " + strconv.Itoa(int(t))
}

// packet is a GCN Classic binary packet as its 40 words.
type packet [40]int32

// The words common to every packet (GCN socket packet definition document:
// pkt_type, pkt_sernum, pkt_hop_cnt, pkt_sod, then the trigger or
// observation number and the burst (or event) TJD and SOD).
const (
	wType     = 0
	wSOD      = 3 // packet creation time, centiseconds of the day (UTC)
	wTrigObs  = 4
	wTJD      = 5 // Truncated Julian Day = MJD − 40000
	wEventSOD = 6 // centiseconds of the day (UTC)
)

func parsePacket(b []byte) (packet, error) {
	var p packet
	if len(b) != PacketSize {
		return p, &DecodeError{Format: "classic", Reason: fmt.Sprintf("a GCN Classic packet is %d bytes, got %d", PacketSize, len(b))}
	}
	for i := range p {
		p[i] = int32(binary.BigEndian.Uint32(b[4*i:]))
	}
	return p, nil
}

// tjdTime converts a Truncated Julian Day and centiseconds of the day to a
// UTC time (TJD 0 is MJD 40000; MJD 40587 is 1970-01-01).
func tjdTime(tjd, sodCS int32) (time.Time, bool) {
	if tjd <= 0 || tjd > 99999 || sodCS < 0 || sodCS > 8640000 {
		return time.Time{}, false
	}
	days := int64(tjd) + 40000 - 40587
	return time.Unix(days*86400, 0).UTC().Add(time.Duration(sodCS) * 10 * time.Millisecond), true
}

// eventTime is the packet's event (trigger or observation) time.
func (p *packet) eventTime(typ string) (time.Time, error) {
	t, ok := tjdTime(p[wTJD], p[wEventSOD])
	if !ok {
		return t, &DecodeError{Format: "classic", Type: typ, Field: "tjd/sod (words 5-6)", Reason: fmt.Sprintf("TJD %d, SOD %d cs is not a time", p[wTJD], p[wEventSOD])}
	}
	return t, nil
}

// packetTime is when GCN made the packet: its SOD (word 3) on the event's
// day, or on the next day when that SOD is earlier than the event's.
func (p *packet) packetTime(typ string) (time.Time, error) {
	t, ok := tjdTime(p[wTJD], p[wSOD])
	if !ok {
		return t, &DecodeError{Format: "classic", Type: typ, Field: "pkt_sod (word 3)", Reason: fmt.Sprintf("TJD %d, SOD %d cs is not a time", p[wTJD], p[wSOD])}
	}
	if p[wSOD] < p[wEventSOD] {
		t = t.Add(24 * time.Hour)
	}
	return t, nil
}

// deg is a word in units of 0.0001 degree.
func (p *packet) deg(w int) float64 { return float64(p[w]) * 1e-4 }

// position reads RA and Dec in 0.0001° from words w and w+1 and checks
// them.
func (p *packet) position(typ string, w int) (ra, dec float64, err error) {
	ra, dec = p.deg(w), p.deg(w+1)
	if ra < 0 || ra >= 360 || dec < -90 || dec > 90 {
		return 0, 0, &DecodeError{Format: "classic", Type: typ, Field: fmt.Sprintf("ra/dec (words %d-%d)", w, w+1), Reason: fmt.Sprintf("(%v, %v) is not an ICRS position", ra, dec)}
	}
	return ra, dec, nil
}

// text decodes a string packed into words [from, to): each word holds four
// characters in reverse order (gcn-classic-to-json utils.binary_to_string
// flips every four bytes), padded with NULs.
func (p *packet) text(from, to int) string {
	var b []byte
	for w := from; w < to; w++ {
		v := uint32(p[w])
		for k := 0; k < 4; k++ {
			c := byte(v >> (8 * k))
			if c == 0 {
				continue
			}
			if c < 0x20 || c > 0x7e {
				c = '?'
			}
			b = append(b, c)
		}
	}
	return strings.TrimSpace(string(b))
}
