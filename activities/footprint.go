package activities

import (
	"fmt"
	"math"
)

// Footprint is one sky polygon an activity covers: ICRS (RA, Dec) vertices
// in degrees, in order around the polygon (the closing vertex is not
// repeated). Name says which part of the field it is ("CCD 3", "camera
// 2"), when there are several.
type Footprint struct {
	Name    string       `json:"name,omitempty"`
	Polygon [][2]float64 `json:"polygon"`
}

// Template is an instrument's field of view in its own frame: polygons of
// (x, y) offsets in degrees on the tangent plane at the boresight, with +y
// along the instrument's reference axis and +x 90° from it, so that at roll
// 0 +y points north and +x east. [Template.Place] turns it into footprints
// on the sky for a pointing.
type Template struct {
	// Name of the instrument or field ("ACIS-I").
	Name string
	// Parts are the polygons, each with at least 3 vertices.
	Parts []TemplatePart
}

// TemplatePart is one polygon of a template.
type TemplatePart struct {
	Name     string
	Vertices [][2]float64
}

// Place returns the footprints of the template for pointing p: each vertex
// is rotated by the roll (position angle of +y, east of north; 0 when the
// roll is unknown) and projected from the tangent plane at (p.RA, p.Dec)
// onto the sky (inverse gnomonic projection). Offsets of 90° or more from
// the boresight cannot be projected and are an error.
func (t Template) Place(p Pointing) ([]Footprint, error) {
	roll := 0.0
	if p.Roll != nil {
		roll = *p.Roll
	}
	const d = math.Pi / 180
	sr, cr := math.Sincos(roll * d)
	sd, cd := math.Sincos(p.Dec * d)
	out := make([]Footprint, 0, len(t.Parts))
	for i, part := range t.Parts {
		if len(part.Vertices) < 3 {
			return nil, fmt.Errorf("template %s part %d: %d vertices, need at least 3", t.Name, i, len(part.Vertices))
		}
		poly := make([][2]float64, len(part.Vertices))
		for j, v := range part.Vertices {
			x, y := v[0], v[1]
			if !finite(x) || !finite(y) || math.Hypot(x, y) >= 90 {
				return nil, fmt.Errorf("template %s part %d vertex %d: offset (%v, %v) cannot be projected", t.Name, i, j, x, y)
			}
			// Rotate: +y goes to position angle roll (north through east).
			xi := (x*cr + y*sr) * d
			eta := (-x*sr + y*cr) * d
			// Inverse gnomonic projection about (ra0, dec0).
			den := cd - eta*sd
			ra := p.RA + math.Atan2(xi, den)/d
			dec := math.Atan2(sd+eta*cd, math.Hypot(xi, den)) / d
			poly[j] = [2]float64{normDeg(ra), dec}
		}
		out = append(out, Footprint{Name: part.Name, Polygon: poly})
	}
	return out, nil
}

// Rectangle is a template of one w × h degrees rectangle centred on the
// boresight, h along the reference axis.
func Rectangle(name string, w, h float64) Template {
	x, y := w/2, h/2
	return Template{Name: name, Parts: []TemplatePart{{Name: name,
		Vertices: [][2]float64{{-x, -y}, {x, -y}, {x, y}, {-x, y}}}}}
}
