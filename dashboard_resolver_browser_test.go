package arcsecond

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/arcsecond-go/arcsecond/catalogs/resolve"
)

// TestDashboardResolverSearch: on a node with a name resolver, the
// dashboard's target search shows the resolver's answer for a name the
// embedded catalogues lack, marked with the service and database, leads
// to the target page at the resolved position, and shows the note for a
// name nobody knows.
func TestDashboardResolverSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := newBrowser(t, 1200, 900)
	var asked atomic.Int32
	sesame, err := resolve.NewSesame(resolve.SesameOptions{BaseURLs: []string{sesameStandIn(t, &asked).URL}})
	if err != nil {
		t.Fatal(err)
	}
	ts := startNode(t, NodeOptions{Resolver: sesame})
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/?view=timeline"), chromedp.WaitVisible("#lookup-name")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "window.dash", 10*time.Second)
	if err := chromedp.Do(ctx, chromedp.SetValue("#lookup-name", "M 31"), chromedp.Click("#lookup-go")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#lookup-results button")`, 10*time.Second)
	label := eval[string](t, ctx, `document.querySelector("#lookup-results button").textContent`)
	if label != "M 31 (Sesame/Simbad, G): target page" {
		t.Errorf("the resolver's answer reads %q", label)
	}
	eval[bool](t, ctx, `(document.querySelector("#lookup-results button").click(), true)`)
	waitJS(t, ctx, `document.querySelector("#tg-chart polyline.target")`, 30*time.Second)
	if q := eval[string](t, ctx, "location.search"); !strings.Contains(q, "view=target") || !strings.Contains(q, "tra=10.684708") {
		t.Errorf("after choosing M 31 the address is %q", q)
	}

	if err := chromedp.Do(ctx, chromedp.SetValue("#lookup-name", "Nothing at all 42"), chromedp.Click("#lookup-go")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#lookup-results .lookup-note")`, 10*time.Second)
	if note := eval[string](t, ctx, `document.querySelector("#lookup-results .lookup-note").textContent`); !strings.Contains(note, "knows no object") {
		t.Errorf("note %q", note)
	}
	if asked.Load() != 2 {
		t.Errorf("Sesame asked %d times, want 2", asked.Load())
	}
}
