"""Priors of the calibration beyond the model's own parameters: named assumptions with their reasoning.

The calibrated model parameters and their priors are the healing model's ``healing-calibrated`` set
(:mod:`needling.parameters.healing_priors`); a new outcome model changes only that list. Here are the
hyperpriors of the statistical model: the between-trial effects and the model discrepancy.
"""

from __future__ import annotations

from needling.evidence import Assumption

#: Prior draws of a calibrated parameter are kept within this many prior standard deviations (the box the
#: emulator is trained on).
PRIOR_TRUNCATION = 2.5

TAU_PRIOR_SCALE = Assumption(
    "calibration-trial-effect-prior-scale",
    1.0,
    "1",
    "Half-normal prior scale of the between-trial standard deviation of each endpoint family, on the log or "
    "logit scale: trials of one indication differ by a factor of about e (2.7) in their measurement and "
    "population; the data can ask for more (the evidence sheet's section 13 reports a 47-fold gap between "
    "two hair-count trials).",
    bounds=(0.01, 10.0),
)
DISCREPANCY_PRIOR_SCALE = Assumption(
    "calibration-discrepancy-prior-scale",
    0.5,
    "1",
    "Half-normal prior scale of the model-discrepancy standard deviation (log or logit scale, one for all "
    "endpoints): what the model misses beyond the trial effects, expected smaller than the trial effects.",
    bounds=(0.01, 10.0),
)
PRIOR_ASSUMPTIONS = (TAU_PRIOR_SCALE, DISCREPANCY_PRIOR_SCALE)
