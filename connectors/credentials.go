package connectors

import "os"

// Credential returns value when it is not empty, else the environment
// variable env. It is the one way connectors read credentials from the
// environment; each connector documents its variables in its Driver's Env
// (see [Env]), all named ARCSECOND_<CONNECTOR>_<WHAT>.
func Credential(value, env string) string {
	if value != "" || env == "" {
		return value
	}
	return os.Getenv(env)
}
