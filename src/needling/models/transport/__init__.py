"""Topical transport: permeability correlations, channel closure, the axisymmetric cell solver, reduced model."""
