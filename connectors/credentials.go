package connectors

import "os"

// Credential returns value when it is not empty, else the environment
// variable env. It is the one way connectors read credentials (and service
// addresses) from the environment; each connector documents the variables
// it reads in its Driver's Env, listed by [Env]: ARCSECOND_ESO_TOKEN,
// ARCSECOND_ESO_USERNAME, ARCSECOND_ESO_PASSWORD, ARCSECOND_OBSCORE_URL,
// ARCSECOND_OBSCORE_TOKEN and GEMINI_ARCHIVE_SESSION in this repository.
func Credential(value, env string) string {
	if value != "" || env == "" {
		return value
	}
	return os.Getenv(env)
}
