package subscribe

import "crypto/rand"

var randReader = rand.Reader
