// Each test host attaches an OpenTelemetry MeterProvider that listens to every meter named "Keel" in the process,
// not only its own host's: hosts running in parallel would export each other's series, and a scrape would hold the
// same series more than once. One host at a time keeps every scrape to its own host's measurements.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
