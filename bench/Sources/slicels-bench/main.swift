// Benchmark harness: see bench/README.md.
print("slicels-bench: no workloads yet")
