"""NLU benchmark: k-fold comparison of candidate pipelines per writing style (see bench/README.md)."""
