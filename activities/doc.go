// Package activities defines the normalized observing activity, the Source
// contract every connector implements, and the live feed engine that polls
// sources, de-duplicates their records and fans them out to consumers.
//
// An [Activity] is one observation, planned, under way or done: which
// facility and instrument, which programme and observer, what target and
// where on the sky, when. Its JSON encoding is documented by
// activity.schema.json ([Schema]) and is stable.
//
// A [Source] lists activities for a time window as an iterator. A [Feed]
// runs sources on schedules, keeps what it has seen in a [Store] (in memory
// with [NewMemoryStore], or in embedded SQLite with package
// activities/sqlitestore, so that a restarted program does not announce old
// activities again) and delivers each new activity or new revision once to
// every subscriber:
//
//	db, err := sqlitedb.Open("feed.db") // package arcsecond/sqlitedb
//	if err != nil { ... }
//	defer db.Close()
//	store, err := sqlitestore.New(db)
//	if err != nil { ... }
//	feed := activities.NewFeed(activities.FeedOptions{Store: store})
//	feed.Add(source, activities.Schedule{Interval: 5 * time.Minute})
//	sub := feed.Subscribe(activities.SubscribeOptions{Buffer: 256})
//	go feed.Run(ctx)
//	for e := range sub.C() {
//		fmt.Println(e.Activity)
//	}
//
// The package imports no connector (connectors import it) and no database
// driver: a program that only uses connectors does not link SQLite. Store
// implementations outside the package run the conformance suite of
// activities/storetest.
package activities

import (
	_ "embed"
)

//go:embed activity.schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of the Activity encoding.
func Schema() []byte { return append([]byte(nil), schema...) }
