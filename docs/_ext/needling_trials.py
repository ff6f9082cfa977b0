"""``.. needling-trials::``: every trial file run while the site builds, published numbers against simulated.

Each trial of ``src/needling/cohort/trials/`` runs with 2,000 virtual patients per arm (seed 0) over the
shipped posterior draws, so the table always shows what the model predicts today (the interval: the
posterior predictive interval of the arm's mean for the trial's real patients), with each endpoint's
role: a calibration target or a prediction.

``.. needling-predictive-checks::`` draws the same results as a figure (the posterior predictive check of
every trial); both directives share one run of the trials per build.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

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


@cache
def _results() -> tuple[tuple[Any, Any], ...]:
    """Every shipped trial and its result over the posterior, in file-name order (run once per build)."""
    from needling.cohort.trial import load_trial, run_trial

    folder = resources.files("needling.cohort") / "trials"
    out = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            trial = load_trial(str(item))
            out.append((trial, run_trial(trial, n=PATIENTS_PER_ARM, seed=0)))
    return tuple(out)


class TrialsDirective(Directive):
    """A table of every trial's published endpoints and what the model gives for them."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for trial, result in _results():
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


class PredictiveChecksDirective(Directive):
    """The posterior predictive check of every trial: published values against their predictive intervals."""

    def run(self) -> list[nodes.Node]:
        from needling.report.calibration_figures import trial_predictive_checks

        env = self.state.document.settings.env
        out = Path(env.srcdir) / "generated" / "predictive-checks.png"
        results = _results()
        trial_predictive_checks([(t.source, r) for t, r in results], out)
        inside = total = 0
        for _, r in results:
            for arm in r.arms:
                for e in arm.endpoints.values():
                    if e.published is not None and e.low is not None and e.high is not None:
                        total += 1
                        inside += e.low <= e.published <= e.high
        text = (
            f"{inside} of {total} published values inside the 95 % posterior predictive interval of their arm's "
            f"mean ({PATIENTS_PER_ARM} virtual patients per arm, seed 0)."
        )
        return [nodes.paragraph(text=text), nodes.image(uri="/generated/predictive-checks.png", alt=text)]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("needling-trials", TrialsDirective)
    app.add_directive("needling-predictive-checks", PredictiveChecksDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
