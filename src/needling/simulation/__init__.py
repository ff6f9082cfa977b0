"""Where models, parameters and protocols meet: one call per kind of result."""
