package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/arcsecond-go/arcsecond/astro"
)

// astroBand is a stretch of the night with the Sun in one altitude range.
type astroBand struct {
	Kind   string  // "civil", "nautical", "astronomical", "night"
	X1, X2 float64 // hours since 0h UT of the chart's reference day
}

type astroCurve struct {
	Name       string
	X, Alt     []float64
	MoonSepDeg float64 // separation from the Moon at mid-night
}

// astroChartData is everything the chart shows, in hours since X0 (0h UT of
// the day the chart starts on).
type astroChartData struct {
	Site       astroSite
	Night      *astroNight
	X0         time.Time
	XMin, XMax float64 // whole hours
	Bands      []astroBand
	Targets    []astroCurve
	Moon       astroCurve
}

// Hours is the number of hours the chart spans.
func (d *astroChartData) Hours() int { return int(math.Round(d.XMax - d.XMin)) }

var astroBandKinds = []string{"civil", "nautical", "astronomical", "night"}

func astroSunClass(alt float64) string {
	switch {
	case alt > astroHSun:
		return ""
	case alt > astroHCivil:
		return "civil"
	case alt > astroHNaut:
		return "nautical"
	case alt > astroHAstro:
		return "astronomical"
	}
	return "night"
}

// astroComputeChart samples the Sun, the Moon and the targets every step
// seconds from an hour before sunset to an hour after sunrise (whole UT
// hours).
func astroComputeChart(site astroSite, date time.Time, targets []astroTarget, step float64) (*astroChartData, error) {
	n, err := astroComputeNight(site, date)
	if err != nil {
		return nil, err
	}
	ni := n.info
	start, end := ni.Start.Add(4*time.Hour), ni.Start.Add(20*time.Hour)
	if ni.Sunset.OK {
		start = ni.Sunset.Time.Add(-time.Hour)
	}
	if ni.Sunrise.OK {
		end = ni.Sunrise.Time.Add(time.Hour)
	}
	sg := start.Go().UTC()
	x0 := time.Date(sg.Year(), sg.Month(), sg.Day(), 0, 0, 0, 0, time.UTC)
	hours := func(t astro.Time) float64 { return t.Go().UTC().Sub(x0).Hours() }
	d := &astroChartData{Site: site, Night: n, X0: x0, XMin: math.Floor(hours(start)), XMax: math.Ceil(hours(end))}
	d.Moon.Name = "Moon"
	d.Targets = make([]astroCurve, len(targets))
	for i, tg := range targets {
		d.Targets[i].Name = tg.Name
	}
	t0 := astro.FromGo(x0.Add(time.Duration(d.XMin * float64(time.Hour))))
	t1 := astro.FromGo(x0.Add(time.Duration(d.XMax * float64(time.Hour))))
	stepD := time.Duration(step * float64(time.Second))
	// astro.AltitudeCurve interpolates each place over the night and applies
	// the Earth's rotation exactly per sample (within 1″ of the full chain).
	curve := func(t astro.Target) ([]astro.AltitudePoint, error) {
		pts, err := astro.AltitudeCurve(t, site.Site, t0, t1, stepD)
		if err != nil {
			return nil, fmt.Errorf("chart: altitude of %v: %w", t, err)
		}
		return pts, nil
	}
	sunPts, err := curve(astro.Sun)
	if err != nil {
		return nil, err
	}
	moonPts, err := curve(astro.Moon)
	if err != nil {
		return nil, err
	}
	xOf := func(p astro.AltitudePoint) float64 { return hours(p.Time) }
	midIdx, best := 0, math.Inf(1)
	mid := hours(ni.Midnight)
	for i, p := range moonPts {
		d.Moon.X = append(d.Moon.X, xOf(p))
		d.Moon.Alt = append(d.Moon.Alt, p.Alt.Deg())
		if dd := math.Abs(xOf(p) - mid); dd < best {
			midIdx, best = i, dd
		}
	}
	for j, tg := range targets {
		pts, err := curve(tg.sdk())
		if err != nil {
			return nil, err
		}
		c := &d.Targets[j]
		for _, p := range pts {
			c.X = append(c.X, xOf(p))
			c.Alt = append(c.Alt, p.Alt.Deg())
		}
		if midIdx < len(pts) && midIdx < len(moonPts) {
			m, p := moonPts[midIdx], pts[midIdx]
			c.MoonSepDeg = astro.Separation(p.Az, p.Alt, m.Az, m.Alt).Deg()
		}
	}
	// Twilight bands from the Sun's altitude, split half way between samples.
	prevClass, bandStart := "", d.XMin
	for i, p := range sunPts {
		x := xOf(p)
		cls := astroSunClass(p.Alt.Deg())
		last := i == len(sunPts)-1
		switch {
		case i == 0:
			prevClass = cls
		case cls != prevClass || last:
			xe := x - step/7200
			if last && cls == prevClass {
				xe = x
			}
			if prevClass != "" {
				d.Bands = append(d.Bands, astroBand{Kind: prevClass, X1: bandStart, X2: xe})
			}
			prevClass, bandStart = cls, xe
		}
	}
	return d, nil
}

var astroPalette = []color.RGBA{
	{0xd6, 0x27, 0x28, 0xff}, {0x1f, 0x77, 0xb4, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xff, 0x7f, 0x0e, 0xff},
	{0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x17, 0xbe, 0xcf, 0xff},
}

var astroBandColors = map[string]color.RGBA{
	"civil":        {0xe4, 0xe8, 0xf2, 0xff},
	"nautical":     {0xc8, 0xd0, 0xe4, 0xff},
	"astronomical": {0xa8, 0xb4, 0xd2, 0xff},
	"night":        {0x8a, 0x98, 0xbe, 0xff},
}

// astroHourTicks labels every hour with the UT hour of day.
type astroHourTicks struct{}

func (astroHourTicks) Ticks(min, max float64) []plot.Tick {
	var t []plot.Tick
	for h := math.Ceil(min); h <= max+1e-9; h++ {
		t = append(t, plot.Tick{Value: h, Label: fmt.Sprintf("%02d", ((int(h)%24)+24)%24)})
	}
	return t
}

type astroAltTicks struct{}

func (astroAltTicks) Ticks(min, max float64) []plot.Tick {
	var t []plot.Tick
	for a := 0.0; a <= 90; a += 10 {
		t = append(t, plot.Tick{Value: a, Label: fmt.Sprintf("%.0f°", a)})
	}
	return t
}

// astroDrawChart renders the chart to w as "svg" or "png".
func astroDrawChart(d *astroChartData, format string, w io.Writer) error {
	p := plot.New()
	illum := 100 * d.Night.MoonIllum
	p.Title.Text = fmt.Sprintf("%s — night of %s — Moon %.0f%% illuminated", d.Site.Name, d.Night.Date, illum)
	p.X.Label.Text = "UT (h)"
	p.Y.Label.Text = "altitude"
	p.X.Min, p.X.Max = d.XMin, d.XMax
	p.Y.Min, p.Y.Max = 0, 90
	p.X.Tick.Marker = astroHourTicks{}
	p.Y.Tick.Marker = astroAltTicks{}
	// The legend is drawn after the plot, on a white box of its own.
	leg := plot.NewLegend()
	leg.Top = true
	leg.TextStyle.Font.Size = vg.Points(9)
	leg.ThumbnailWidth = vg.Points(18)
	leg.XOffs, leg.YOffs = -vg.Points(4), -vg.Points(4)
	title := p.Title.Text
	p.Title.Text = ""

	seen := map[string]bool{}
	for _, b := range d.Bands {
		poly, err := plotter.NewPolygon(plotter.XYs{{X: b.X1, Y: 0}, {X: b.X2, Y: 0}, {X: b.X2, Y: 90}, {X: b.X1, Y: 90}})
		if err != nil {
			return fmt.Errorf("chart: twilight band: %w", err)
		}
		poly.Color = astroBandColors[b.Kind]
		poly.LineStyle.Width = 0
		poly.LineStyle.Color = color.Transparent
		p.Add(poly)
		if !seen[b.Kind] {
			seen[b.Kind] = true
		}
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.NRGBA{0x40, 0x40, 0x40, 0x40}
	grid.Horizontal.Color = color.NRGBA{0x40, 0x40, 0x40, 0x40}
	p.Add(grid)
	for _, k := range astroBandKinds {
		if !seen[k] {
			continue
		}
		poly, _ := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}})
		poly.Color = astroBandColors[k]
		poly.LineStyle.Width = 0
		poly.LineStyle.Color = color.Transparent
		name := k + " twilight"
		if k == "night" {
			name = "astronomical night"
		}
		leg.Add(name, poly)
	}
	addCurve := func(c astroCurve, col color.Color, dashed bool, label string) error {
		// Break the curve below the horizon into separate runs.
		var run plotter.XYs
		first := true
		flush := func() error {
			if len(run) < 2 {
				run = nil
				return nil
			}
			l, err := plotter.NewLine(run)
			if err != nil {
				return fmt.Errorf("chart: %s: %w", c.Name, err)
			}
			l.Color = col
			l.Width = vg.Points(1.8)
			if dashed {
				l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
				l.Width = vg.Points(1.4)
			}
			p.Add(l)
			if first {
				leg.Add(label, l)
				first = false
			}
			run = nil
			return nil
		}
		for i := range c.X {
			if c.Alt[i] >= 0 {
				run = append(run, plotter.XY{X: c.X[i], Y: c.Alt[i]})
			} else if err := flush(); err != nil {
				return err
			}
		}
		if err := flush(); err != nil {
			return err
		}
		if first { // never above the horizon: still list it
			l, _ := plotter.NewLine(plotter.XYs{{X: d.XMin, Y: -1}, {X: d.XMin, Y: -1}})
			l.Color = col
			leg.Add(label+" (below horizon)", l)
		}
		return nil
	}
	if err := addCurve(d.Moon, color.RGBA{0x40, 0x40, 0x40, 0xff}, true, fmt.Sprintf("Moon (%.0f%%)", illum)); err != nil {
		return err
	}
	for i, c := range d.Targets {
		if err := addCurve(c, astroPalette[i%len(astroPalette)], false, fmt.Sprintf("%s (Moon %.0f°)", c.Name, c.MoonSepDeg)); err != nil {
			return err
		}
	}

	width, height := 26*vg.Centimeter, 16*vg.Centimeter
	var canvas vg.CanvasWriterTo
	switch format {
	case "svg":
		canvas = vgsvg.New(width, height)
	case "png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(110))}
	default:
		return usageErrorf("chart format %q: want svg or png", format)
	}
	dc := draw.New(canvas)
	// Room for the local-time axis on top and the airmass axis on the right.
	inner := draw.Crop(dc, 0, -vg.Points(46), 0, -vg.Points(52))
	p.Draw(inner)
	data := p.DataCanvas(inner)
	lr := leg.Rectangle(data)
	lw, lh := lr.Max.X-lr.Min.X, lr.Max.Y-lr.Min.Y
	lr.Max = vg.Point{X: data.Max.X + leg.XOffs, Y: data.Max.Y + leg.YOffs}
	lr.Min = vg.Point{X: lr.Max.X - lw, Y: lr.Max.Y - lh}
	pad := vg.Points(3)
	data.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xd8}, []vg.Point{
		{X: lr.Min.X - pad, Y: lr.Min.Y - pad}, {X: lr.Max.X + pad, Y: lr.Min.Y - pad},
		{X: lr.Max.X + pad, Y: lr.Max.Y + pad}, {X: lr.Min.X - pad, Y: lr.Max.Y + pad}})
	leg.Draw(data)
	xT, yT := p.Transforms(&data)
	sty := draw.TextStyle{Color: color.Black, Font: p.X.Tick.Label.Font, Handler: p.X.Tick.Label.Handler,
		XAlign: draw.XCenter, YAlign: draw.YBottom}
	lsty := draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}
	top, right := data.Max.Y, data.Max.X
	dc.StrokeLine2(lsty, data.Min.X, top, right, top)
	dc.StrokeLine2(lsty, right, data.Min.Y, right, top)
	for h := d.XMin; h <= d.XMax+1e-9; h++ {
		at := d.X0.Add(time.Duration(h * float64(time.Hour))).In(d.Site.Zone)
		label := at.Format("15")
		if at.Minute() != 0 {
			label = at.Format("15:04")
		}
		x := xT(h)
		dc.StrokeLine2(lsty, x, top, x, top+vg.Points(4))
		dc.FillText(sty, vg.Point{X: x, Y: top + vg.Points(5)}, label)
	}
	zoneName := d.Site.Zone.String()
	if zoneName == "UTC" && strings.Contains(d.Site.Name, ",") {
		zoneName = "UTC: site given by coordinates"
	}
	sty.Font.Size = p.X.Label.TextStyle.Font.Size
	dc.FillText(sty, vg.Point{X: (data.Min.X + right) / 2, Y: top + vg.Points(17)}, "local time ("+zoneName+")")
	tsty := sty
	tsty.Font.Size = p.Title.TextStyle.Font.Size
	dc.FillText(tsty, vg.Point{X: (data.Min.X + right) / 2, Y: top + vg.Points(34)}, title)
	rsty := sty
	rsty.XAlign, rsty.YAlign = draw.XLeft, draw.YCenter
	rsty.Font.Size = p.Y.Tick.Label.Font.Size
	for _, am := range []float64{1.0, 1.1, 1.2, 1.3, 1.5, 2.0, 3.0, 5.0} {
		a, err := astro.AltitudeForAirmass(astroAirmassModel, am)
		if err != nil {
			return fmt.Errorf("chart: airmass scale: %w", err)
		}
		alt := a.Deg()
		y := yT(alt)
		dc.StrokeLine2(lsty, right, y, right+vg.Points(4), y)
		dc.FillText(rsty, vg.Point{X: right + vg.Points(6), Y: y}, fmt.Sprintf("%.1f", am))
	}
	asty := rsty
	asty.Font.Size = p.Y.Label.TextStyle.Font.Size
	asty.Rotation = math.Pi / 2
	asty.XAlign, asty.YAlign = draw.XCenter, draw.YTop
	dc.FillText(asty, vg.Point{X: right + vg.Points(30), Y: (data.Min.Y + top) / 2}, "airmass")
	if _, err := canvas.WriteTo(w); err != nil {
		return fmt.Errorf("chart: writing %s: %w", format, err)
	}
	return nil
}

func newAstroChartCmd() *cobra.Command {
	var sd astroSiteDate
	var outFlag string
	var targets []string
	var stepMin float64
	cmd := &cobra.Command{
		Use:   "chart --site SITE --date YYYY-MM-DD --target NAME[=RA,DEC] ... --out FILE.svg|FILE.png",
		Short: "Altitude/airmass chart of targets over a night at a site (SVG or PNG)",
		Long: "Plots each target's altitude against UT (bottom axis) and local time (top axis, the site's\n" +
			"time zone), with the airmass (Young 1994) on the right, the twilights shaded, the Moon's\n" +
			"altitude dashed and each target's separation from the Moon at mid-night in the legend.\n" +
			"A target without coordinates is the Sun, the Moon, a planet or a standard star looked up\n" +
			"in the embedded catalogues.",
		Example: "  arcsecond astro chart --site Paranal --date 2026-11-20 --target 'NGC 253=00:47:33,-25:17:18' \\\n" +
			"      --target Jupiter --out night.svg",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(targets) == 0 {
				return usageErrorf("at least one --target is required")
			}
			if outFlag == "" {
				return usageErrorf("--out FILE.svg|FILE.png is required")
			}
			format := strings.TrimPrefix(strings.ToLower(filepath.Ext(outFlag)), ".")
			if format != "svg" && format != "png" {
				return usageErrorf("--out %q: the file name must end in .svg or .png", outFlag)
			}
			if stepMin < 0.5 || stepMin > 30 || math.IsNaN(stepMin) {
				return usageErrorf("--step %v: want 0.5 to 30 minutes", stepMin)
			}
			site, d, err := sd.resolve()
			if err != nil {
				return err
			}
			var tgs []astroTarget
			for _, s := range targets {
				tg, err := astroResolveTarget(s)
				if err != nil {
					return err
				}
				tgs = append(tgs, tg)
			}
			data, err := astroComputeChart(site, d, tgs, stepMin*60)
			if err != nil {
				return err
			}
			f, err := os.Create(outFlag)
			if err != nil {
				return fmt.Errorf("chart: %w", err)
			}
			if err := astroDrawChart(data, format, f); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("chart: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %d targets, %d hours from %s UT\n", outFlag, len(tgs), data.Hours(),
				data.X0.Add(time.Duration(data.XMin*float64(time.Hour))).Format("2006-01-02 15:04"))
			return nil
		},
	}
	sd.flags(cmd)
	cmd.Flags().StringArrayVar(&targets, "target", nil, "target NAME[=RA,DEC] (repeatable; RA,DEC in degrees or hh:mm:ss,±dd:mm:ss)")
	cmd.Flags().StringVar(&outFlag, "out", "", "output file, .svg or .png (required)")
	cmd.Flags().Float64Var(&stepMin, "step", 3, "sampling step in minutes")
	return cmd
}
