package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/arcsecond-go/arcsecond/auth"
)

func ExampleKeys() {
	ctx := context.Background()
	keys := auth.NewKeys(&auth.MemoryStore{})
	secret, k, err := keys.Create(ctx, auth.KeyOptions{Owner: "alice", Role: auth.RoleUser})
	if err != nil {
		panic(err)
	}
	id, err := keys.Verify(ctx, secret)
	fmt.Println(id.Owner, id.Role, id.KeyID == k.ID, err)
	keys.Revoke(ctx, k.ID)
	_, err = keys.Verify(ctx, secret)
	fmt.Println(err != nil)
	// Output:
	// alice user true <nil>
	// true
}

func ExampleAuthenticator_Middleware() {
	ctx := context.Background()
	keys := auth.NewKeys(&auth.MemoryStore{})
	secret, _, _ := keys.Create(ctx, auth.KeyOptions{Owner: "obs", Role: auth.RolePublisher, Source: "myobs"})
	a := &auth.Authenticator{Keys: keys}
	h := a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := auth.FromContext(r.Context())
		fmt.Println("identity:", id.Owner, id.Role, id.CanPublish("myobs"), id.CanPublish("eso"))
	}))
	req := httptest.NewRequest("POST", "/api/activities", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	h.ServeHTTP(httptest.NewRecorder(), req)

	req.Header.Set("Authorization", "Bearer arc_wrong")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	// Output:
	// identity: obs publisher true false
	// 401
}
