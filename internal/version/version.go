// Package version holds the SDK's version, in a package of its own so that
// the packages sending it (in User-Agent headers) need not import the root
// package, which imports them.
package version

// Version is the SDK's version (arcsecond.Version).
const Version = "0.1.0"
