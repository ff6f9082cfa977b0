"""The shipped posterior draws: read once, applied to a parameter set draw by draw.

``posterior.json`` (package data, written by ``needling calibrate --out``) holds the draws of every
calibrated parameter in its own unit, the spread of the trial effects of each endpoint family, the
model-discrepancy spread, and what they were fitted on: the model's fingerprint, the data hash, the
calibration trials and their published endpoints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from needling.cohort.bayes.space import model_fingerprint
from needling.errors import InputError
from needling.parameters import ParameterValues, resolve

SHIPPED = "posterior.json"


@dataclass(frozen=True)
class Posterior:
    """Posterior draws with their provenance (see the module's docstring).

    Attributes
    ----------
    doc : dict
        The parsed ``posterior.json`` document: metadata, settings, diagnostics and ``draws`` (name to
        values, each parameter in its own unit).
    """

    doc: dict[str, Any]

    @property
    def size(self) -> int:
        """Number of draws."""
        return len(next(iter(self.doc["draws"].values())))

    def parameter_names(self) -> list[str]:
        """Return the calibrated parameters the draws set.

        Returns
        -------
        list of str
            Parameter names.
        """
        return [k for k in self.doc["draws"] if not k.startswith(("trial-effect-sd-", "discrepancy-sd"))]

    def column(self, name: str) -> np.ndarray:
        """Return the draws of one quantity.

        Parameters
        ----------
        name : str
            A column: a calibrated parameter, ``trial-effect-sd-<family>`` or ``discrepancy-sd``.

        Returns
        -------
        numpy.ndarray
            One value per draw (a parameter in its own unit).
        """
        return np.asarray(self.doc["draws"][name], float)

    def trial_effect_sd(self, family: str) -> np.ndarray:
        """Return the draws of the between-trial spread of an endpoint family (transformed scale).

        Parameters
        ----------
        family : str
            An endpoint family (see :data:`needling.cohort.bayes.data.FAMILIES`).

        Returns
        -------
        numpy.ndarray
            One value per draw.
        """
        return self.column(f"trial-effect-sd-{family}")

    def discrepancy_sd(self) -> np.ndarray:
        """Return the draws of the model-discrepancy spread (transformed scale).

        Returns
        -------
        numpy.ndarray
            One value per draw.
        """
        return self.column("discrepancy-sd")

    def parameters(self, k: int, base: ParameterValues | None = None) -> ParameterValues:
        """Return ``base`` with draw ``k`` of every calibrated parameter it holds (others are left as they are).

        Parameters
        ----------
        k : int
            Index of the draw.
        base : ParameterValues, optional
            The set to change (default: a copy of the default set).

        Returns
        -------
        ParameterValues
            A changed copy.
        """
        pv = resolve(base).copy()
        values = {n: float(self.doc["draws"][n][k]) for n in self.parameter_names() if n in pv}
        pv.update(values, reason=f"posterior draw {k}")
        return pv

    def matches(self, parameters: ParameterValues | None = None) -> bool:
        """Tell whether the draws were fitted on this model (same parameter set as the default one).

        Parameters
        ----------
        parameters : ParameterValues, optional
            The model's parameter set (default: the default set).

        Returns
        -------
        bool
            True when the model fingerprints agree.
        """
        return bool(self.doc.get("model_fingerprint") == model_fingerprint(parameters))

    def evidence(self, family: str) -> dict[str, Any]:
        """Return the trials and real patients behind a family's calibration (counted once per trial arm).

        Parameters
        ----------
        family : str
            An endpoint family (see :data:`needling.cohort.bayes.data.FAMILIES`).

        Returns
        -------
        dict
            ``trials``, ``patients`` and ``sources``.
        """
        rows = [d for d in self.doc["data"] if d["role"] == "calibration" and d["family"] == family]
        arms = {(d["source"], d["arm"]): d["patients"] for d in rows}
        return {
            "trials": len({d["source"] for d in rows}),
            "patients": int(sum(arms.values())),
            "sources": sorted({d["source"] for d in rows}),
        }


def load(path: str | Path) -> Posterior:
    """Read a posterior written by ``needling calibrate``.

    Parameters
    ----------
    path : str or Path
        The JSON file.

    Returns
    -------
    Posterior
        The draws with their metadata.
    """
    try:
        doc = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"posterior file {path}: cannot be read as JSON ({exc.__class__.__name__})") from None
    if not isinstance(doc, dict) or doc.get("format") != 1 or "draws" not in doc:
        raise InputError(f"posterior file {path}: not a needling posterior (format 1, with draws)")
    return Posterior(doc)


@cache
def shipped() -> Posterior:
    """The posterior shipped with needling."""
    return load(str(resources.files("needling.cohort.bayes") / SHIPPED))
