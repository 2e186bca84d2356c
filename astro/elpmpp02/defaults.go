package elpmpp02

// DefaultThreshold is the truncation threshold (arcseconds) of Default.
const DefaultThreshold = 1e-3
