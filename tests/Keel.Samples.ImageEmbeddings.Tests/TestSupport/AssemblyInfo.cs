// Each process test runs the service (a model of 64 MB and ONNX Runtime's arena) and loads it: on two cores, one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
