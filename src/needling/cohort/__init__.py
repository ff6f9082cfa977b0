"""Virtual populations and in-silico trials, local and distributed."""
