// Package version holds the SDK's version for the packages that must not
// import the root package arcsecond (which wires a whole node, with its
// stores and servers): internal/httpx puts it in every connector's
// User-Agent. arcsecond.Version is the same value.
package version

// Version is the SDK's version.
const Version = "0.1.0"
