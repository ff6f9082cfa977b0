"""Refit the rates fitted to calibration targets: ``python -m needling.cohort.fits`` prints the values.

Each rate is found by one-dimensional root finding (Brent) on the mean of a seeded virtual cohort of
the trial it is fitted to, with the other parameters at their values:

* ``collagen-synthesis-rate`` and ``epidermal-growth-rate``: Lotfi 2013 (+53.2 % collagen, +50 % epidermis);
* ``minoxidil-anagen-drive`` then ``needling-anagen-drive``: Dhurat 2013 (+22.2 and +91.4 hairs/cm2).

Budamakuntla 2013 (melasma) is held out as a prediction: tranexamic acid's effect is not fitted to it.

The shipped values in :mod:`needling.parameters.healing` are these fits; tests/validation checks that
they still reproduce their targets, so a change elsewhere that moves them fails loudly.
"""

from __future__ import annotations

from pathlib import Path

from scipy.optimize import brentq

from needling.cohort.trial import load_trial, run_trial
from needling.parameters import ParameterValues

TRIALS = Path(__file__).parent / "trials"
N = 4000


def _endpoint(pv: ParameterValues, trial: str, name: str, arm: int = 0) -> float:
    r = run_trial(load_trial(TRIALS / trial), n=N, seed=0, parameters=pv)
    value = r.arms[arm].endpoints[name].mean
    assert value is not None
    return float(value)


def _solve(pv: ParameterValues, name: str, lo: float, hi: float, fn, target: float) -> float:
    def f(x: float) -> float:
        pv.update({name: x}, reason="fit")
        return fn(pv) - target

    x = float(brentq(f, lo, hi, xtol=1e-6 * hi, rtol=1e-6))
    pv.update({name: x}, reason="fit")
    return x


def fit_rates(parameters: ParameterValues | None = None) -> dict[str, float]:
    """Refit the fitted rates in order; returns name -> value (the set passed in is updated)."""
    pv = parameters if parameters is not None else ParameterValues.default()
    out = {}
    out["collagen-synthesis-rate"] = _solve(
        pv, "collagen-synthesis-rate", 1e-4, 5.0, lambda p: _endpoint(p, "lotfi-2013.toml", "collagen_change_pct"), 53.2
    )
    out["epidermal-growth-rate"] = _solve(
        pv,
        "epidermal-growth-rate",
        1e-4,
        100.0,
        lambda p: _endpoint(p, "lotfi-2013.toml", "epidermis_change_pct"),
        50.0,
    )
    out["minoxidil-anagen-drive"] = _solve(
        pv,
        "minoxidil-anagen-drive",
        1e-4,
        0.999,
        lambda p: _endpoint(p, "dhurat-2013.toml", "hair_count_change", 1),
        22.2,
    )
    out["needling-anagen-drive"] = _solve(
        pv,
        "needling-anagen-drive",
        1e-4,
        100.0,
        lambda p: _endpoint(p, "dhurat-2013.toml", "hair_count_change", 0),
        91.4,
    )
    return out


if __name__ == "__main__":
    for k, v in fit_rates().items():
        print(f"{k} = {v:.6g}")
