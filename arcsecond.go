// Package arcsecond is an embeddable Go SDK for observational astronomy.
//
// It turns what the world's observatories and satellites are observing into
// one normalized stream of observing activities, and lets a program
// subscribe to that stream. The SDK is a set of packages, layered so that
// each imports only those below it:
//
//	astro       astronomical algorithms: time scales, Earth rotation,
//	            precession-nutation, places and frames, Sun, Moon, planets
//	catalogs    embedded observing sites, instruments and standard stars
//	activities  the normalized Activity record, the Source contract that
//	            connectors implement, and the live feed engine
//	connectors  clients for ESO, Gemini, HST, Swift and any VO TAP service
//	            (with a streaming VOTable reader), each yielding activities
//	subscribe   the subscription matcher and durable notification delivery
//	examples    thin reference binaries: the arcsecond CLI and the
//	            activityd live server
//
// A minimal program that prints what a source is observing:
//
//	import _ "github.com/arcsecond-go/arcsecond/connectors/gemini" // registers "gemini"
//
//	src, err := connectors.Open("gemini", connectors.Config{})
//	if err != nil { ... }
//	feed := activities.NewFeed(activities.FeedOptions{})
//	feed.Add(src, activities.Schedule{Interval: 5 * time.Minute})
//	sub := feed.Subscribe(activities.SubscribeOptions{Buffer: 64})
//	go feed.Run(ctx)
//	for e := range sub.C() {
//		a := e.Activity
//		fmt.Println(a.Facility, a.Instrument, a.Target.Name)
//	}
package arcsecond

// Version is the SDK's version, sent in the User-Agent of every request the
// connectors make.
const Version = "0.1.0"
