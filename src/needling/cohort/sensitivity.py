"""Global sensitivity of any model output to its parameters, with SALib (Morris screening or Sobol indices).

:func:`sensitivity` samples the named parameters over their ranges, runs ``fn`` once per sample with a
changed copy of the parameter set, and returns the indices per output: for Morris the mean absolute
elementary effect ``mu_star`` (how much the parameter moves the output across its range) and ``sigma``
(how much that effect depends on the other parameters); for Sobol the first-order ``S1`` and total
``ST`` shares of the output's variance. Every run uses the same seed, so the differences between runs
come from the parameters only (common random numbers).

The range of a parameter, unless given, is its value plus or minus two standard deviations where the
source gives a spread, otherwise plus or minus :data:`DEFAULT_RELATIVE_RANGE` of its value, clipped to
its physical bounds (named choice: a half-width of 50 % spans the factor of two that most of the
assumptions' reasoning admits).

References
----------
Morris MD. Factorial sampling plans for preliminary computational experiments. Technometrics 1991;33:161-174.
Saltelli A et al. Variance based sensitivity analysis of model output. Comput Phys Commun 2010;181:259-270.
Herman J, Usher W. SALib: an open-source Python library for sensitivity analysis. J Open Source Softw 2017;2:97.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from needling.errors import InputError, check_range
from needling.parameters import ParameterValues, resolve

#: Half-width of a parameter's range, as a fraction of its value, where no spread is known.
DEFAULT_RELATIVE_RANGE = 0.5
METHODS = ("morris", "sobol")
#: Morris grid levels (SALib's default; r trajectories of k+1 runs each).
MORRIS_LEVELS = 4

Output = float | Mapping[str, float]


@dataclass
class SensitivityResult:
    """Sensitivity indices of each output to each parameter.

    Attributes
    ----------
    method : str
        ``"morris"`` or ``"sobol"``.
    parameters : list of str
        The parameters varied, in the order of the problem.
    ranges : dict
        Name -> ``(low, high, unit)`` sampled.
    outputs : list of str
        The outputs analysed.
    indices : dict
        Output -> parameter -> index name -> value (Morris: ``mu_star``, ``mu_star_conf``, ``sigma``,
        ``mu``; Sobol: ``S1``, ``S1_conf``, ``ST``, ``ST_conf``); ``None`` where an output did not vary.
    evaluations : int
        Runs of the model.
    failed : int
        Runs that raised an arithmetic or input error, or gave a value that is not finite (Morris leaves
        out the trajectories that contain one; Sobol gives no indices for that output).
    first_failure : str
        The first such error, for the record.
    seconds : float
        Wall time of the runs and the analysis, s.
    samples : ndarray
        The parameter samples (own units), shape ``(evaluations, len(parameters))``.
    values : dict
        Output -> the model's values at the samples.
    """

    method: str
    parameters: list[str]
    ranges: dict[str, tuple[float, float, str]]
    outputs: list[str]
    indices: dict[str, dict[str, dict[str, float | None]]]
    evaluations: int
    seconds: float
    failed: int
    first_failure: str
    samples: np.ndarray = field(repr=False)
    values: dict[str, np.ndarray] = field(repr=False)

    @property
    def main_index(self) -> str:
        """The index that ranks parameters: ``mu_star`` (Morris) or ``ST`` (Sobol)."""
        return "mu_star" if self.method == "morris" else "ST"

    def ranking(self, output: str) -> list[tuple[str, float | None]]:
        """Rank the parameters by decreasing :attr:`main_index` for ``output`` (undefined indices last).

        Parameters
        ----------
        output : str
            One of :attr:`outputs`.

        Returns
        -------
        list of (str, float or None)
            Parameter name and its index.
        """
        rows = [(p, self.indices[output][p][self.main_index]) for p in self.parameters]
        return sorted(rows, key=lambda r: -math.inf if r[1] is None else -r[1])

    def to_json(self) -> dict[str, Any]:
        """Return the stable ``needling sensitivity ... --json`` document.

        Returns
        -------
        dict
            ``method``, ``evaluations``, ``failed``, ``seconds``, ``parameters`` (name, low, high, unit) and
            per output its ``ranking`` and indices.
        """
        return {
            "method": self.method,
            "evaluations": self.evaluations,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
            "parameters": [
                {"name": p, "low": self.ranges[p][0], "high": self.ranges[p][1], "unit": self.ranges[p][2]}
                for p in self.parameters
            ],
            "outputs": {
                out: {
                    "ranking": [p for p, _ in self.ranking(out)],
                    "indices": self.indices[out],
                    "mean": _finite(float(np.mean(self.values[out]))),
                    "sd": _finite(float(np.std(self.values[out]))),
                }
                for out in self.outputs
            },
        }

    def plot(self, path: str | None = None) -> Any:
        """A bar chart of the main index per output; saved as PNG or SVG when ``path`` is given.

        Parameters
        ----------
        path : str, optional
            File to write, ``.png`` or ``.svg``; the figure is closed after saving.

        Returns
        -------
        matplotlib.figure.Figure
            The figure.

        Raises
        ------
        InputError
            When ``path`` ends in anything but ``.png`` or ``.svg``.
        """
        from pathlib import Path

        if path is not None and Path(path).suffix.lower() not in (".png", ".svg"):
            raise InputError(f"figure path {path} must end in .png or .svg", field="--figure")
        import matplotlib.pyplot as plt

        n = len(self.outputs)
        fig, axes = plt.subplots(1, n, figsize=(3.6 * n + 1.5, 0.35 * len(self.parameters) + 1.6), squeeze=False)
        for ax, out in zip(axes[0], self.outputs, strict=True):
            ranked = list(reversed(self.ranking(out)))
            values = [0.0 if v is None else v for _, v in ranked]
            conf_key = "mu_star_conf" if self.method == "morris" else "ST_conf"
            conf = [self.indices[out][p][conf_key] or 0.0 for p, _ in ranked]
            ax.barh(range(len(ranked)), values, xerr=conf, color="C0", alpha=0.8)
            ax.set_yticks(range(len(ranked)), [p for p, _ in ranked], fontsize=7)
            ax.set_title(out, fontsize=9)
            ax.set_xlabel("mu* (output units)" if self.method == "morris" else "total-order index ST", fontsize=8)
        fig.suptitle(f"{self.method} sensitivity, {self.evaluations} runs", fontsize=10)
        fig.tight_layout()
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, dpi=130)
            plt.close(fig)
        return fig


def _finite(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else x


def parameter_range(pv: ParameterValues, name: str, relative: float = DEFAULT_RELATIVE_RANGE) -> tuple[float, float]:
    """The range sampled for ``name`` (own unit): value +- 2 SD, else +- ``relative`` x value, within its bounds.

    Parameters
    ----------
    pv : ParameterValues
        The set holding the parameter.
    name : str
        The parameter's name.
    relative : float
        Half-width as a fraction of the value, where the parameter has no SD.

    Returns
    -------
    tuple of float
        ``(low, high)`` in the parameter's own unit.

    Raises
    ------
    InputError
        When the range is empty (a value of zero without a spread).
    """
    p = pv[name]
    if p.sd is not None and p.sd > 0:
        low, high = p.value - 2.0 * p.sd, p.value + 2.0 * p.sd
    else:
        half = abs(p.value) * relative
        low, high = p.value - half, p.value + half
    if p.bounds is not None:
        low, high = max(low, p.bounds[0]), min(high, p.bounds[1])
    if not low < high:
        raise InputError(
            f"parameter {name} has no range to sample (value {p.value:g} {p.unit}); give its bounds explicitly",
            field="parameters",
        )
    return float(low), float(high)


def _as_outputs(value: Output) -> dict[str, float]:
    if isinstance(value, Mapping):
        return {str(k): float(v) for k, v in value.items()}
    return {"output": float(value)}


def sensitivity(
    fn: Callable[[ParameterValues], Output],
    parameters: Sequence[str],
    method: str = "morris",
    n: int = 16,
    *,
    base: ParameterValues | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    relative: float = DEFAULT_RELATIVE_RANGE,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityResult:
    """Which parameters drive a model's outputs: Morris screening or Sobol indices over their ranges.

    Parameters
    ----------
    fn : callable
        Called once per sample with a :class:`~needling.parameters.ParameterValues` (the base set with the
        sampled values); returns a number or a mapping of output name to number.
    parameters : sequence of str
        Names of the parameters to vary (``needling parameters list``); at least one, no repeats.
    method : {"morris", "sobol"}
        Morris elementary effects (``n`` trajectories, ``n (k + 1)`` runs: a screening) or Sobol indices
        (Saltelli sampling, ``n (k + 2)`` runs; ``n`` should be a power of two).
    n : int
        Trajectories (Morris) or base samples (Sobol).
    base : ParameterValues, optional
        The set the samples change (default: the default set).
    bounds : mapping, optional
        Name -> ``(low, high)`` in the parameter's own unit, overriding :func:`parameter_range`.
    relative : float
        Half-width of a range as a fraction of the value, where the parameter has no SD.
    seed : int
        Seed of the sampling and of the bootstrap confidence intervals.
    progress : callable, optional
        Called with ``(done, total)`` after each run.

    Returns
    -------
    SensitivityResult
        Indices per output and parameter; :meth:`SensitivityResult.to_json`, :meth:`SensitivityResult.plot`.

    Raises
    ------
    InputError
        Unknown method or parameter name (with the valid ones), a repeated name, a bound outside the
        parameter's physical bounds, ``n`` out of range, or ``fn`` returning outputs that change names.

    References
    ----------
    Morris MD. Technometrics 1991;33:161-174. Saltelli A et al. Comput Phys Commun 2010;181:259-270.
    Herman J, Usher W. J Open Source Softw 2017;2:97 (SALib).

    Examples
    --------
    >>> from needling.simulation import quick_session
    >>> res = sensitivity(
    ...     lambda pv: quick_session("dermaroller-192-1.5", "cheek", parameters=pv).depth_mean_um,
    ...     ["dimple-depth-reference", "pinpoint-bleeding-threshold"], n=4)
    >>> res.ranking("output")[0][0]
    'dimple-depth-reference'
    >>> res.indices["output"]["pinpoint-bleeding-threshold"]["mu_star"]
    0.0
    """
    import time

    t0 = time.perf_counter()
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; valid: {', '.join(METHODS)}", field="method")
    names = list(parameters)
    if not names:
        raise InputError("give at least one parameter to vary; see `needling parameters list`", field="parameters")
    repeated = sorted({p for p in names if names.count(p) > 1})
    if repeated:
        raise InputError(f"parameter named twice: {', '.join(repeated)}", field="parameters")
    check_range("n", n, low=2, high=100_000)
    pv0 = resolve(base)
    ranges: dict[str, tuple[float, float, str]] = {}
    for name in names:
        p = pv0[name]  # unknown names: one line with the nearest names
        if bounds is not None and name in bounds:
            low, high = (float(b) for b in bounds[name])
            phys = p.bounds
            if not low < high or (phys is not None and (low < phys[0] or high > phys[1])):
                valid = f"{phys[0]:g} to {phys[1]:g}" if phys is not None else "low < high"
                raise InputError(f"bounds of {name} = ({low:g}, {high:g}) {p.unit}; valid: {valid}", field="bounds")
        else:
            low, high = parameter_range(pv0, name, relative)
        ranges[name] = (low, high, p.unit)
    integer = {name: isinstance(pv0[name].value, int) for name in names}
    problem = {"num_vars": len(names), "names": names, "bounds": [[ranges[p][0], ranges[p][1]] for p in names]}
    X = _sample(problem, method, n, seed)

    rows: list[dict[str, float] | None] = []
    failures: list[str] = []
    for i, x in enumerate(X):
        pv = pv0.copy()
        pv.update({p: (round(v) if integer[p] else float(v)) for p, v in zip(names, x, strict=True)})
        try:
            with np.errstate(all="ignore"):
                out: dict[str, float] | None = _as_outputs(fn(pv))
        except (ArithmeticError, ValueError, InputError) as exc:  # the model has no answer at this sample
            failures.append(f"{type(exc).__name__}: {exc}")
            out = None
        rows.append(out)
        if progress is not None:
            progress(i + 1, len(X))
    done = [r for r in rows if r is not None]
    if not done:
        raise InputError(f"every run failed; the first: {failures[0]}")
    outputs = list(done[0])
    if any(set(r) != set(outputs) for r in done):
        raise InputError(f"fn returned different outputs from run to run; the first run gave {outputs}")
    values = {o: np.array([math.nan if r is None else r[o] for r in rows]) for o in outputs}
    indices = {o: _analyse(problem, method, X, values[o], seed) for o in outputs}
    return SensitivityResult(
        method=method,
        parameters=names,
        ranges=ranges,
        outputs=outputs,
        indices=indices,
        evaluations=len(X),
        failed=len(failures) + sum(int(not np.all(np.isfinite(list(r.values())))) for r in done),
        first_failure=failures[0] if failures else "",
        seconds=time.perf_counter() - t0,
        samples=X,
        values=values,
    )


def _sample(problem: dict[str, Any], method: str, n: int, seed: int) -> np.ndarray:
    import warnings

    if method == "morris":
        from SALib.sample import morris as morris_sample

        return np.asarray(morris_sample.sample(problem, n, num_levels=MORRIS_LEVELS, seed=seed))
    from SALib.sample import sobol as sobol_sample

    with warnings.catch_warnings():  # SALib warns when n is not a power of two; the result is still valid
        warnings.simplefilter("ignore")
        return np.asarray(sobol_sample.sample(problem, n, calc_second_order=False, seed=seed))


def _analyse(problem: dict[str, Any], method: str, X: np.ndarray, Y: np.ndarray, seed: int) -> dict[str, dict]:
    names = problem["names"]
    if method == "morris" and not np.all(np.isfinite(Y)):
        # Keep the whole trajectories (k + 1 runs each) that have every value.
        k1 = len(names) + 1
        ok = np.isfinite(Y).reshape(-1, k1).all(axis=1)
        if ok.sum() < 2:
            return {p: dict.fromkeys(_KEYS[method]) for p in names}
        X = X.reshape(-1, k1, len(names))[ok].reshape(-1, len(names))
        Y = Y.reshape(-1, k1)[ok].reshape(-1)
    if not np.all(np.isfinite(Y)):
        return {p: dict.fromkeys(_KEYS[method]) for p in names}
    if np.ptp(Y) == 0.0:  # the output does not move: every effect is zero, shares are undefined
        zero = 0.0 if method == "morris" else None
        return {p: dict.fromkeys(_KEYS[method], zero) for p in names}
    if method == "morris":
        from SALib.analyze import morris as morris_analyze

        si = morris_analyze.analyze(problem, X, Y, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        import warnings

        from SALib.analyze import sobol as sobol_analyze

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            si = sobol_analyze.analyze(problem, Y, calc_second_order=False, seed=seed)
    return {p: {k: _finite(float(si[k][i])) for k in _KEYS[method]} for i, p in enumerate(names)}


_KEYS = {"morris": ("mu_star", "mu_star_conf", "sigma", "mu"), "sobol": ("S1", "S1_conf", "ST", "ST_conf")}
