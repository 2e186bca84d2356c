package lazy

import (
	"errors"
	"sync"
	"testing"
)

func TestGetOnce(t *testing.T) {
	var v Value[int]
	calls := 0
	load := func() (int, error) { calls++; return 42, errors.New("boom") }
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if n, err := v.Get(load); n != 42 || err == nil || err.Error() != "boom" {
				t.Errorf("Get = %d, %v", n, err)
			}
		}()
	}
	wg.Wait()
	if calls != 1 {
		t.Fatalf("load called %d times", calls)
	}
}

func TestMustGet(t *testing.T) {
	var v Value[string]
	calls := 0
	for range 3 {
		if got := v.MustGet(func() string { calls++; return "x" }); got != "x" {
			t.Fatalf("MustGet = %q", got)
		}
	}
	if calls != 1 {
		t.Fatalf("load called %d times", calls)
	}
}
