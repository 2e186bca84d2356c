package theory

import (
	"errors"
	"testing"
)

type fake struct{}

func (fake) Default() (Set, error)    { return Set{}, nil }
func (fake) Fast() (Set, error)       { return Set{}, nil }
func (fake) Coarse() (Planets, error) { return nil, nil }

func TestRegister(t *testing.T) {
	if _, err := Get(); !errors.Is(err, ErrNotLinked) {
		t.Fatalf("Get with nothing registered = %v, want ErrNotLinked", err)
	}
	Register(fake{})
	defer registered.Store(nil)
	p, err := Get()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.(fake); !ok {
		t.Fatalf("Get = %T, want the registered provider", p)
	}
}
