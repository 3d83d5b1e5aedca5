// The runtime tests listen to Keel's process-wide meter and activity source, so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
