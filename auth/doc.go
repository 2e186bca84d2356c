// Package auth identifies the callers of an arcsecond node: API keys for
// scripts and services, and bearer JWTs from an external OpenID Connect
// provider for sites that have one. It turns a request's credentials into
// an [Identity] (an owner and a [Role]) that the node's handlers consult.
//
// An API key is a random 256-bit secret shown once, when it is created
// ("arc_" + an 8-byte lookup prefix in hex + "_" + the secret); the
// [Store] keeps only its SHA-256 hash, its prefix (the key's ID), owner,
// role, source (for publishers), expiry and revocation time, and
// [Keys.Verify] compares hashes in constant time.
//
// An [OIDC] verifier checks a JWT's signature against the issuer's JWKS
// (fetched through the issuer's discovery document), its issuer, its
// audience and its expiry, and reads the owner and role from configurable
// claims.
//
// [Authenticator.Middleware] puts the identity in the request's context
// ([FromContext]); a request with invalid credentials is answered 401 and
// logged without its secret.
package auth
