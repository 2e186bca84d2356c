package resolve_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/arcsecond-go/arcsecond/catalogs/resolve"
)

func ExampleSesame() {
	// A stand-in for https://cds.unistra.fr/cgi-bin/nph-sesame answering
	// in Sesame's XML format.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<Sesame><Target option="S"><name>M 31</name>
<Resolver name="S=Simbad (via url)"><otype>G</otype>
<jradeg>10.684708</jradeg><jdedeg>+41.268750</jdedeg><oname>M  31</oname></Resolver>
</Target></Sesame>`)
	}))
	defer srv.Close()

	s, err := resolve.NewSesame(resolve.SesameOptions{BaseURLs: []string{srv.URL}, Databases: "S"})
	if err != nil {
		panic(err)
	}
	r := resolve.NewCache(s, 100, 0)
	t, err := r.Resolve(context.Background(), "M 31")
	fmt.Println(t, t.Type, err)
	// Output: M 31: RA 10.684708° Dec +41.268750° (Sesame/Simbad) G <nil>
}
