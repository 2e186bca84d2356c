// Package lazy computes a package's heavy tables on first use.
//
// It is sync.OnceValues with one difference that matters for binary size:
// a package-level
//
//	var tables = sync.OnceValues(func() (*T, error) { ... })
//
// is initialized by the package's init, which therefore refers to the
// function literal, so the linker keeps the function and everything it
// reads (embedded tables, coefficient arrays) in every program that
// imports the package, even one that never asks for the table. With
//
//	var tables lazy.Value[*T]
//	func Tables() (*T, error) { return tables.Get(loadTables) }
//
// the loader is reachable only through Tables, and a program that never
// calls Tables does not carry it. The zero Value is ready to use.
package lazy

import "sync"

// Value is a value computed once, on the first Get.
type Value[T any] struct {
	once sync.Once
	v    T
	err  error
}

// Get returns the value, calling load the first time (concurrent callers
// wait for it); later calls return what the first returned, error
// included. A panic in load propagates to the first caller, and later
// calls return the zero value.
func (l *Value[T]) Get(load func() (T, error)) (T, error) {
	l.once.Do(func() { l.v, l.err = load() })
	return l.v, l.err
}

// MustGet is Get for a load that cannot fail.
func (l *Value[T]) MustGet(load func() T) T {
	l.once.Do(func() { l.v = load() })
	return l.v
}
