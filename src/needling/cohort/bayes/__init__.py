"""Hierarchical Bayesian calibration of the outcome model across every shipped trial.

The framework is Kennedy & O'Hagan's (J R Stat Soc B 2001;63:425): a published endpoint is the model's
output at the calibrated parameters, plus a random effect of its trial (population, measurement scale,
protocol details the paper leaves open), plus a model-discrepancy term, plus the sampling error of the
trial's real patients. ``data`` reads the endpoints, ``priors`` names the calibrated parameters,
``emulator`` is the cheap surrogate of the model, ``fit`` samples the posterior (emcee), ``posterior``
holds and ships the draws and ``predict`` makes posterior predictive intervals; ``loto`` refits without
each trial in turn.
"""
