"""``.. needling-trials::``: every trial file run while the site builds, published numbers against simulated.

Each trial of ``src/needling/cohort/trials/`` runs with 2,000 virtual patients per arm (seed 0) over the
shipped posterior draws, so the table always shows what the model predicts today (the interval: the
posterior predictive interval of the arm's mean for the trial's real patients), with each endpoint's
role: a calibration target or a prediction.
"""

from __future__ import annotations

from importlib import resources

from docutils import nodes
from docutils.parsers.rst import Directive
from needling_tables import source_link, table
from sphinx.application import Sphinx

PATIENTS_PER_ARM = 2000


def _value(x: float | None, endpoint: str) -> str:
    if x is None:
        return ""
    if endpoint.startswith(("improved", "grade_", "pih", "tram")):
        return f"{100 * x:.1f} %"
    return f"{x:+.1f}" if "change" in endpoint else f"{x:.3g}"


class TrialsDirective(Directive):
    """A table of every trial's published endpoints and what the model gives for them."""

    def run(self) -> list[nodes.Node]:
        from needling.cohort.trial import load_trial, run_trial

        folder = resources.files("needling.cohort") / "trials"
        rows = []
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if not item.name.endswith(".toml"):
                continue
            trial = load_trial(str(item))
            result = run_trial(trial, n=PATIENTS_PER_ARM, seed=0)
            for arm in result.arms:
                for endpoint, value in arm.endpoints.items():
                    if value.get("published") is None:
                        continue
                    low, high = value["ci95"]
                    rows.append(
                        [
                            source_link(trial.source),
                            arm.name,
                            endpoint.replace("_", " "),
                            _value(value["published"], endpoint),
                            f"{_value(value['mean'], endpoint)} ({_value(low, endpoint)} to {_value(high, endpoint)})",
                            nodes.strong(text=value.get("role", "")) if value.get("role") == "prediction"
                            else value.get("role", ""),
                        ]
                    )  # fmt: skip
        return [
            table(
                ["trial", "arm", "endpoint", "published", "predicted mean (95 % predictive interval)", "role"],
                rows,
                [12, 16, 16, 8, 20, 8],
            )
        ]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("needling-trials", TrialsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
