package arcsecond

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

// metrics are the node's Prometheus metrics, in a registry of its own.
// Their names keep the activityd_ prefix of the reference server, so that
// existing dashboards and alerts go on working.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	matches     *prometheus.CounterVec
	liveClients *prometheus.GaugeVec
	liveSent    *prometheus.CounterVec
}

func newMetrics(n *Node) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "activityd_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "activityd_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 8),
		}, []string{"route"}),
		matches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "activityd_subscription_matches_total", Help: "Subscription matches, by the activity's source.",
		}, []string{"source"}),
		liveClients: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "activityd_live_clients", Help: "Connected live clients by protocol.",
		}, []string{"protocol"}),
		liveSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "activityd_live_messages_total", Help: "Activities sent to live clients by protocol.",
		}, []string{"protocol"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.matches, m.liveClients, m.liveSent,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&feedCollector{n: n})
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = 200
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument counts a route's requests and times them.
func (m *metrics) instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t0 := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.code == 0 {
			sw.code = 200
		}
		m.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(t0).Seconds())
	})
}

var (
	descPolls     = prometheus.NewDesc("activityd_source_polls_total", "Polls of a source.", []string{"source"}, nil)
	descFailures  = prometheus.NewDesc("activityd_source_poll_failures_total", "Failed polls of a source.", []string{"source"}, nil)
	descListed    = prometheus.NewDesc("activityd_source_listed_total", "Activities a source listed.", []string{"source"}, nil)
	descAnnounced = prometheus.NewDesc("activityd_source_announced_total", "New activities and revisions from a source.", []string{"source"}, nil)
	descInvalid   = prometheus.NewDesc("activityd_source_invalid_total", "Activities of a source rejected by validation.", []string{"source"}, nil)
	descDuration  = prometheus.NewDesc("activityd_source_last_poll_seconds", "Duration of a source's last poll.", []string{"source"}, nil)
	descUp        = prometheus.NewDesc("activityd_source_up", "1 when a source's last poll succeeded.", []string{"source", "state"}, nil)
	descDeliv     = prometheus.NewDesc("activityd_notifications", "Notifications in the outbox by channel and state.", []string{"channel", "state"}, nil)
)

// feedCollector reads the feed's health and the outbox at scrape time. The
// outbox gauges are left out when the outbox is not a subscribe.Counter.
type feedCollector struct{ n *Node }

func (c *feedCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPolls, descFailures, descListed, descAnnounced, descInvalid, descDuration, descUp, descDeliv} {
		ch <- d
	}
}

func (c *feedCollector) Collect(ch chan<- prometheus.Metric) {
	if c.n.feed == nil {
		return
	}
	for _, h := range c.n.feed.Health() {
		ch <- prometheus.MustNewConstMetric(descPolls, prometheus.CounterValue, float64(h.Polls), h.Name)
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, float64(h.Failures), h.Name)
		ch <- prometheus.MustNewConstMetric(descListed, prometheus.CounterValue, float64(h.Listed), h.Name)
		ch <- prometheus.MustNewConstMetric(descAnnounced, prometheus.CounterValue, float64(h.Announced), h.Name)
		ch <- prometheus.MustNewConstMetric(descInvalid, prometheus.CounterValue, float64(h.Invalid), h.Name)
		ch <- prometheus.MustNewConstMetric(descDuration, prometheus.GaugeValue, h.LastDuration.Seconds(), h.Name)
		up := 0.0
		if h.State == "ok" {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up, h.Name, string(h.State))
	}
	// The outbox gauges, when the outbox can count its notifications.
	counter, ok := c.n.outbox.(subscribe.Counter)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := counter.Counts(ctx)
	if err != nil {
		c.n.log.Warn("metrics: counting the outbox's notifications", "err", err)
		return
	}
	for _, n := range counts {
		ch <- prometheus.MustNewConstMetric(descDeliv, prometheus.GaugeValue, float64(n.N), string(n.Channel), string(n.State))
	}
}
